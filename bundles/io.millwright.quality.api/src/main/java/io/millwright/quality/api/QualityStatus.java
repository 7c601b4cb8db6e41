package io.millwright.quality.api;

/** A channel's data quality over its last window, most severe first: what its {@code q.<tag>} channel says. */
public enum QualityStatus {
    /** No sample for longer than the stale factor times the expected interval. */
    STALE,
    /** More values outside the engineering range than the allowed share (a sensor's error code often is one). */
    OUT_OF_RANGE,
    /** The same value sample after sample on a channel that moves (a stuck sensor). */
    FLATLINE,
    /**
     * The measurement has left what its physical-consistency rule expects while the machine's corroborating channels stay
     * as in the reference: a sensor drifting (see {@link ConsistencyReport}).
     */
    DRIFT,
    /** A source time earlier than the one before. */
    TIME_REGRESSION,
    /** A source time equal to the one before. */
    DUPLICATES,
    /** More BAD samples than the allowed share. */
    BAD,
    /** More UNCERTAIN samples than the allowed share. */
    UNCERTAIN,
    /** Intervals between samples vary more than the allowed coefficient of variation. */
    JITTER,
    /** None of the above. */
    OK
}
