package io.millwright.history.api;

/**
 * One recorded waveform block, answered when raw data of a waveform channel is asked for.
 *
 * @param timeMicros the block's source time in microseconds since the epoch
 * @param sampleRateHz its sample rate
 * @param points its points
 * @param bad whether its quality was BAD
 */
public record WaveformBlock(long timeMicros, double sampleRateHz, double[] points, boolean bad) {
}
