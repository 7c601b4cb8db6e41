package io.millwright.ingest.api;

/** What the sink did with a batch. */
public enum SubmitResult {
    /** Taken: every sample is either queued for the journal or rejected and counted by ingest. */
    ACCEPTED,
    /** Refused because the journal's queue is full; nothing of the batch was taken. */
    OVERRUN
}
