package io.millwright.api;

import java.util.Objects;

/**
 * One reading of one channel.
 *
 * <p>Timestamps are epoch microseconds. {@code sequence} is the per-channel sequence number the
 * journal assigned (1, 2, 3, … without holes for each channel); {@code 0} means not yet journaled.
 * {@code ingestTimeMicros} is set by ingest; {@code 0} means not yet ingested.
 *
 * @param channel the channel
 * @param sequence per-channel sequence number, 0 before the journal assigns it
 * @param sourceTimeMicros when the device says the value was taken
 * @param ingestTimeMicros when the gateway accepted it, 0 before ingest
 * @param value the value
 * @param quality the quality
 */
public record Sample(ChannelId channel, long sequence, long sourceTimeMicros, long ingestTimeMicros, Value value,
        Quality quality) {

    /** Requires channel, value and quality. */
    public Sample {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(quality, "quality");
    }

    /**
     * A sample as a driver produces it: no sequence, no ingest time.
     *
     * @param channel the channel
     * @param sourceTimeMicros when the value was taken, epoch microseconds
     * @param value the value
     * @param quality the quality
     * @return the sample
     */
    public static Sample of(ChannelId channel, long sourceTimeMicros, Value value, Quality quality) {
        return new Sample(channel, 0, sourceTimeMicros, 0, value, quality);
    }

    /**
     * @param ingestTime epoch microseconds
     * @param newQuality the quality after validation
     * @return a copy with ingest time and quality set
     */
    public Sample ingested(long ingestTime, Quality newQuality) {
        return new Sample(channel, sequence, sourceTimeMicros, ingestTime, value, newQuality);
    }

    /**
     * @param newSequence the per-channel sequence number
     * @return a copy with the sequence set
     */
    public Sample withSequence(long newSequence) {
        return new Sample(channel, newSequence, sourceTimeMicros, ingestTimeMicros, value, quality);
    }
}
