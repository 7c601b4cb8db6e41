package io.millwright.journal.api;

/**
 * Outcome of an append.
 *
 * @param accepted true if the batch was queued for commit
 * @param firstTicket a number that grows with every accepted batch; an entry containing the batch
 *     is committed once {@link JournalStatistics#committedTicket()} reaches it
 */
public record AppendResult(boolean accepted, long firstTicket) {
    /** The queue is full: nothing was taken, no sequence number was used. */
    public static final AppendResult FULL = new AppendResult(false, -1);

    /**
     * The journal cannot write (its disk is full, see {@link JournalState#DISK_FULL}): nothing was taken; each sample
     * used its sequence number and is counted as dropped and reported as a gap with reason {@code disk-full}.
     *
     * @since 1.3
     */
    public static final AppendResult DISK_FULL = new AppendResult(false, -2);

    /**
     * @return true if the batch was refused because the journal's disk is full
     * @since 1.3
     */
    public boolean diskFull() {
        return !accepted && firstTicket == DISK_FULL.firstTicket;
    }
}
