package io.millwright.journal.api;

/**
 * Whether the journal is writing.
 *
 * @since 1.3
 */
public enum JournalState {
    /** Commits succeed. */
    OK,
    /**
     * The journal's filesystem has less free space than the journal's reserve, even after the journal dropped its
     * oldest entries: appends are refused (each refused sample is counted as dropped and reported as a gap with reason
     * {@code disk-full}) until space returns, then commits resume by themselves.
     */
    DISK_FULL,
    /** Commits fail for another reason (an I/O error); what was accepted stays queued and is retried. */
    FAILING
}
