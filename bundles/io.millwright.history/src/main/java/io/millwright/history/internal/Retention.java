package io.millwright.history.internal;

/**
 * How long each level is kept, and the budget of all of them together.
 *
 * @param waveformMicros raw waveform blocks
 * @param rawMicros raw samples
 * @param minuteMicros one-minute rollups
 * @param hourMicros one-hour rollups
 * @param budgetBytes the most bytes the stored values may take (each entry counted with its value and
 *     {@link HistoryStore#ENTRY_OVERHEAD})
 */
public record Retention(long waveformMicros, long rawMicros, long minuteMicros, long hourMicros, long budgetBytes) {
}
