package io.millwright.analytics.api;

/**
 * The input window of a feature vector: which journal entries and which span of time it was computed from.
 *
 * @param journalFrom position of the first journal entry read for the window
 * @param journalTo position after the last entry read
 * @param fromMicros window start, epoch µs (inclusive)
 * @param toMicros window end, epoch µs (exclusive)
 */
public record WindowRange(long journalFrom, long journalTo, long fromMicros, long toMicros) {

    /** Checks the ranges. */
    public WindowRange {
        if (journalTo < journalFrom || toMicros <= fromMicros) {
            throw new IllegalArgumentException("window journal " + journalFrom + ".." + journalTo + ", time " + fromMicros + ".." + toMicros
                    + ": ends must follow starts");
        }
    }
}
