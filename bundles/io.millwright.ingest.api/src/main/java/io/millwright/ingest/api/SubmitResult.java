package io.millwright.ingest.api;

/** What the sink did with a batch. */
public enum SubmitResult {
    /** Taken: every sample is either queued for the journal or rejected and counted by ingest. */
    ACCEPTED,
    /** Refused because the journal's queue is full; nothing of the batch was taken. */
    OVERRUN,
    /**
     * Refused because the journal's disk is full: nothing of the batch was taken; the journal counts each sample as
     * dropped and reports it as a gap with reason {@code disk-full}. A device counts it as an overrun and shows DEGRADED.
     *
     * @since 1.1
     */
    DISK_FULL
}
