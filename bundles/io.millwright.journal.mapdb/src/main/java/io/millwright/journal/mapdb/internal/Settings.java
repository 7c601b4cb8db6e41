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
 * @param reserveBytes free space the journal leaves on its filesystem: below it the oldest entries make room for new
 *     ones, and when that is not enough the journal is {@code DISK_FULL}
 * @param maxPendingBytes memory (estimated) of appended but uncommitted samples beyond which appends are refused
 */
public record Settings(Path directory, Duration commitInterval, int maxPendingSamples, long budgetBytes, int maxEntrySamples,
        long reserveBytes, long maxPendingBytes) {

    /**
     * Encoded size at which an entry is closed and a new one started: below MapDB's largest single record (65,520
     * bytes), so that an entry lies in one piece in the file and a scan of a damaged file finds it. A single sample
     * larger than this (a waveform of more than about 8,000 points) makes an entry of its own that MapDB splits; such
     * an entry is recovered only while MapDB's index is readable.
     */
    static final int MAX_ENTRY_BYTES = 63_000;
    /** An encoded entry larger than this (the size estimate was short) is cut in two. */
    static final int MAX_RECORD_BYTES = 65_000;
    /** Default free-space reserve. */
    public static final long DEFAULT_RESERVE_BYTES = 16L << 20;
    /** Default memory bound of the commit queue. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 32L << 20;

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
        if (reserveBytes < 1024 * 1024) {
            throw new IllegalArgumentException("reserve=" + reserveBytes + " bytes: must be at least 1 MiB");
        }
        if (maxPendingBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxPending=" + maxPendingBytes + " bytes: must be at least 1 MiB");
        }
    }

    /**
     * Settings with the default free-space reserve and queue memory bound.
     *
     * @param directory where the journal's files live
     * @param commitInterval the longest time an appended sample waits for its group commit
     * @param maxPendingSamples appended but uncommitted samples beyond which appends are refused
     * @param budgetBytes encoded sample bytes retained before the oldest entries are dropped
     * @param maxEntrySamples samples per journal entry at most
     */
    public Settings(Path directory, Duration commitInterval, int maxPendingSamples, long budgetBytes, int maxEntrySamples) {
        this(directory, commitInterval, maxPendingSamples, budgetBytes, maxEntrySamples, DEFAULT_RESERVE_BYTES,
                DEFAULT_MAX_PENDING_BYTES);
    }
}
