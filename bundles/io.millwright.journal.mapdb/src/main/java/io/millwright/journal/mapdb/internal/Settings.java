package io.millwright.journal.mapdb.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Validated journal settings.
 *
 * @param directory where the journal's files live
 * @param commitInterval the longest time an appended sample waits for its group commit
 * @param maxPendingSamples appended but uncommitted samples beyond which appends are refused
 * @param budgetBytes encoded sample bytes retained before the oldest entries are dropped
 * @param maxEntrySamples samples per journal entry at most
 */
public record Settings(Path directory, Duration commitInterval, int maxPendingSamples, long budgetBytes, int maxEntrySamples) {

    /** Largest encoded size an entry grows to before a new one is started (waveforms make entries big). */
    static final int MAX_ENTRY_BYTES = 256 * 1024;

    /** Validates every value and names the bad one. */
    public Settings {
        if (commitInterval.isNegative() || commitInterval.isZero() || commitInterval.toMillis() > 10_000) {
            throw new IllegalArgumentException("commitIntervalMs=" + commitInterval.toMillis() + ": must be 1..10000");
        }
        if (maxPendingSamples < 1_000) {
            throw new IllegalArgumentException("maxPendingSamples=" + maxPendingSamples + ": must be >= 1000");
        }
        if (budgetBytes < 1024 * 1024) {
            throw new IllegalArgumentException("budget=" + budgetBytes + " bytes: must be at least 1 MiB");
        }
        if (maxEntrySamples < 1 || maxEntrySamples > 1_000_000) {
            throw new IllegalArgumentException("maxEntrySamples=" + maxEntrySamples + ": must be 1..1000000");
        }
    }
}
