package io.millwright.journal.api;

import java.util.List;

/**
 * The journal's figures at one moment.
 *
 * @param directory where the journal's files are
 * @param fileBytes size of the journal's files on disk
 * @param payloadBytes encoded sample bytes currently retained (what the disk budget limits)
 * @param budgetBytes the disk budget for the payload
 * @param retainedEntries entries currently retained
 * @param retainedSamples samples currently retained
 * @param firstPosition position of the oldest retained entry
 * @param endPosition position after the newest committed entry
 * @param committedSamples samples committed since the journal was created (survives restarts)
 * @param committedTicket the highest append ticket that is committed
 * @param pendingSamples samples appended but not yet committed
 * @param commitRateSamplesPerSecond samples committed per second over the last few seconds
 * @param commits group commits since start
 * @param lastCommitMillis duration of the last commit
 * @param droppedSamples samples dropped by the disk budget policy since the journal was created
 * @param refusedBatches appends refused because the queue was full, since start
 * @param gaps the most recent gaps (bounded list, newest last)
 * @param cursors every cursor with its lag
 * @param recovery what start-up recovery did; empty if the journal opened cleanly
 */
public record JournalStatistics(String directory, long fileBytes, long payloadBytes, long budgetBytes,
        long retainedEntries, long retainedSamples, long firstPosition, long endPosition, long committedSamples,
        long committedTicket, long pendingSamples, double commitRateSamplesPerSecond, long commits,
        double lastCommitMillis, long droppedSamples, long refusedBatches, List<Gap> gaps,
        List<CursorStatistics> cursors, String recovery) {
    /** Copies the lists. */
    public JournalStatistics {
        gaps = List.copyOf(gaps);
        cursors = List.copyOf(cursors);
    }
}
