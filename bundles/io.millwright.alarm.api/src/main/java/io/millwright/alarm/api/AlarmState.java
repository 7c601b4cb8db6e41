package io.millwright.alarm.api;

/**
 * The states of the alarm lifecycle (ISA-18.2). An alarm that is shelved, suppressed by design or out of service is
 * not annunciated whatever its condition; the others follow the condition and the operator's acknowledgement.
 */
public enum AlarmState {
    /** condition clear, nothing to acknowledge */
    NORMAL,
    /** condition active, not yet acknowledged */
    UNACKNOWLEDGED,
    /** condition active, acknowledged */
    ACKNOWLEDGED,
    /** condition cleared before anyone acknowledged it (or a latching alarm waits for its reset) */
    RTN_UNACKNOWLEDGED,
    /** put aside by a person for a while (by whom, why, until when); comes back by itself when the shelf expires */
    SHELVED,
    /** suppressed by design: a condition over the asset's state (e.g. stopped, in maintenance) makes it meaningless */
    SUPPRESSED_BY_DESIGN,
    /** taken out of service by a person (e.g. a broken sensor awaiting repair) until returned */
    OUT_OF_SERVICE;

    /** @return true if an operator is asked to do something (it shows in the annunciated list) */
    public boolean isAnnunciated() {
        return this == UNACKNOWLEDGED || this == ACKNOWLEDGED || this == RTN_UNACKNOWLEDGED;
    }
}
