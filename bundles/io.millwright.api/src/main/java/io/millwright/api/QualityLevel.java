package io.millwright.api;

/** How far a value can be trusted, in the sense of OPC UA's Good / Uncertain / Bad. */
public enum QualityLevel {
    /** The value is valid. */
    GOOD,
    /** The value may be usable but something about it is doubtful (e.g. a clock skew, a stale read). */
    UNCERTAIN,
    /** The value must not be used (e.g. a device exception, a non-finite number, out of range). */
    BAD
}
