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
 * @param droppedSamples samples lost since the journal was created, each also reported as a gap: dropped by the
 *     disk budget or the free-space reserve before a reader had them, refused because the disk was full, or
 *     unreadable after damage
 * @param refusedBatches appends refused because the queue was full, since start
 * @param gaps the most recent gaps (bounded list, newest last)
 * @param cursors every cursor with its lag
 * @param recovery what start-up recovery did; empty if the journal opened cleanly
 * @param state whether the journal is writing (since 1.3)
 * @param usableBytes free space on the journal's filesystem that the journal may use, -1 if unknown (since 1.3)
 * @param reserveBytes free space the journal leaves on its filesystem (since 1.3)
 * @param epoch the journal's epoch, 1 at creation: it grows when recovery after damage cannot prove that every
 *     channel's sequence continues, so that (epoch, channel, sequence) never names two samples (since 1.3)
 * @param commitLatency how long the group commits since start took (since 1.3)
 */
public record JournalStatistics(String directory, long fileBytes, long payloadBytes, long budgetBytes,
        long retainedEntries, long retainedSamples, long firstPosition, long endPosition, long committedSamples,
        long committedTicket, long pendingSamples, double commitRateSamplesPerSecond, long commits,
        double lastCommitMillis, long droppedSamples, long refusedBatches, List<Gap> gaps,
        List<CursorStatistics> cursors, String recovery, JournalState state, long usableBytes, long reserveBytes, long epoch,
        io.millwright.api.LatencyHistogram commitLatency) {
    /** Copies the lists; no latency histogram is an empty one. */
    public JournalStatistics {
        gaps = List.copyOf(gaps);
        cursors = List.copyOf(cursors);
        commitLatency = commitLatency == null ? io.millwright.api.LatencyHistogram.EMPTY : commitLatency;
    }

    /**
     * The figures without commit latencies.
     *
     * @param directory where the journal's files are
     * @param fileBytes size of the journal's files on disk
     * @param payloadBytes encoded sample bytes currently retained
     * @param budgetBytes the disk budget for the payload
     * @param retainedEntries entries currently retained
     * @param retainedSamples samples currently retained
     * @param firstPosition position of the oldest retained entry
     * @param endPosition position after the newest committed entry
     * @param committedSamples samples committed since the journal was created
     * @param committedTicket the highest append ticket that is committed
     * @param pendingSamples samples appended but not yet committed
     * @param commitRateSamplesPerSecond samples committed per second
     * @param commits group commits since start
     * @param lastCommitMillis duration of the last commit
     * @param droppedSamples samples dropped since the journal was created
     * @param refusedBatches appends refused because the queue was full
     * @param gaps the most recent gaps
     * @param cursors every cursor with its lag
     * @param recovery what start-up recovery did
     * @param state whether the journal is writing
     * @param usableBytes free space the journal may use
     * @param reserveBytes free space the journal leaves
     * @param epoch the journal's epoch
     */
    public JournalStatistics(String directory, long fileBytes, long payloadBytes, long budgetBytes,
            long retainedEntries, long retainedSamples, long firstPosition, long endPosition, long committedSamples,
            long committedTicket, long pendingSamples, double commitRateSamplesPerSecond, long commits,
            double lastCommitMillis, long droppedSamples, long refusedBatches, List<Gap> gaps,
            List<CursorStatistics> cursors, String recovery, JournalState state, long usableBytes, long reserveBytes, long epoch) {
        this(directory, fileBytes, payloadBytes, budgetBytes, retainedEntries, retainedSamples, firstPosition, endPosition,
                committedSamples, committedTicket, pendingSamples, commitRateSamplesPerSecond, commits, lastCommitMillis,
                droppedSamples, refusedBatches, gaps, cursors, recovery, state, usableBytes, reserveBytes, epoch, null);
    }

    /**
     * The figures of a journal that knows no state (before 1.3): {@link JournalState#OK}, free space unknown, epoch 1.
     *
     * @param directory where the journal's files are
     * @param fileBytes size of the journal's files on disk
     * @param payloadBytes encoded sample bytes currently retained
     * @param budgetBytes the disk budget for the payload
     * @param retainedEntries entries currently retained
     * @param retainedSamples samples currently retained
     * @param firstPosition position of the oldest retained entry
     * @param endPosition position after the newest committed entry
     * @param committedSamples samples committed since the journal was created
     * @param committedTicket the highest append ticket that is committed
     * @param pendingSamples samples appended but not yet committed
     * @param commitRateSamplesPerSecond samples committed per second
     * @param commits group commits since start
     * @param lastCommitMillis duration of the last commit
     * @param droppedSamples samples dropped since the journal was created
     * @param refusedBatches appends refused because the queue was full
     * @param gaps the most recent gaps
     * @param cursors every cursor with its lag
     * @param recovery what start-up recovery did
     */
    public JournalStatistics(String directory, long fileBytes, long payloadBytes, long budgetBytes,
            long retainedEntries, long retainedSamples, long firstPosition, long endPosition, long committedSamples,
            long committedTicket, long pendingSamples, double commitRateSamplesPerSecond, long commits,
            double lastCommitMillis, long droppedSamples, long refusedBatches, List<Gap> gaps,
            List<CursorStatistics> cursors, String recovery) {
        this(directory, fileBytes, payloadBytes, budgetBytes, retainedEntries, retainedSamples, firstPosition, endPosition,
                committedSamples, committedTicket, pendingSamples, commitRateSamplesPerSecond, commits, lastCommitMillis,
                droppedSamples, refusedBatches, gaps, cursors, recovery, JournalState.OK, -1, 0, 1);
    }
}
