package io.millwright.alarm.api;

/** What condition an alarm watches. */
public enum AlarmKind {
    /** value above the limit; clears below limit − deadband */
    HI,
    /** value above a second, higher limit */
    HIHI,
    /** value below the limit; clears above limit + deadband */
    LO,
    /** value below a second, lower limit */
    LOLO,
    /** |change per second| between two samples above the limit */
    RATE,
    /** |value − the setpoint tag's value| above the limit */
    DEVIATION,
    /** no sample for longer than limit × the tag's expected interval (limit defaults to 3) */
    STALE,
    /** the tag's latest sample has BAD quality */
    BAD_QUALITY,
    /** the tag's value is one of the listed states (e.g. a model's urgency WARNING or CRITICAL), each with its priority */
    STATE;

    /** @return true for the kinds compared with a numeric limit on the value */
    public boolean isLimit() {
        return this == HI || this == HIHI || this == LO || this == LOLO;
    }
}
