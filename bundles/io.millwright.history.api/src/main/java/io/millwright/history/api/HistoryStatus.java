package io.millwright.history.api;

/**
 * The history's figures.
 *
 * @param position the next journal position the rollup reader will read
 * @param lagEntries committed journal entries not yet rolled up
 * @param channels channels with history
 * @param rawBlocks stored raw blocks (one per channel and minute)
 * @param minuteWindows stored one-minute rollups
 * @param hourWindows stored one-hour rollups
 * @param waveformBlocks stored waveform blocks
 * @param bytes the store's size on disk
 * @param budgetBytes the disk budget
 * @param lostSamples samples the journal dropped before the history read them
 * @param trimmedByBudget windows removed early because the store reached its budget
 */
public record HistoryStatus(long position, long lagEntries, int channels, long rawBlocks, long minuteWindows, long hourWindows,
        long waveformBlocks, long bytes, long budgetBytes, long lostSamples, long trimmedByBudget) {
}
