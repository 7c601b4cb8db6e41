package io.millwright.analytics.api;

/** What a scoring model estimates. */
public enum ModelKind {
    /** Remaining useful life, in hours. */
    REMAINING_USEFUL_LIFE,
    /** A failure class (e.g. none, tool wear, heat dissipation, power, overstrain) with its probability. */
    FAILURE_CLASSIFICATION,
    /** An anomaly score; higher is more anomalous. */
    ANOMALY
}
