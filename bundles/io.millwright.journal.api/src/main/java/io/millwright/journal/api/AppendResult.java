package io.millwright.journal.api;

/**
 * Outcome of an append.
 *
 * @param accepted true if the batch was queued for commit
 * @param firstTicket a number that grows with every accepted batch; an entry containing the batch
 *     is committed once {@link JournalStatistics#committedTicket()} reaches it
 */
public record AppendResult(boolean accepted, long firstTicket) {
    /** The queue is full: nothing was taken. */
    public static final AppendResult FULL = new AppendResult(false, -1);
}
