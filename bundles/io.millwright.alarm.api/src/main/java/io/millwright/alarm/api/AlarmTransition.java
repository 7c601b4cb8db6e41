package io.millwright.alarm.api;

/** Why an alarm changed: each {@link AlarmEvent} names one. */
public enum AlarmTransition {
    /** the condition became active (after its on-delay) */
    ACTIVATED,
    /** the condition cleared (after its deadband and off-delay) */
    CLEARED,
    /** the alarm's priority rose while it was active (e.g. urgency WARNING → CRITICAL): it must be acknowledged again */
    ESCALATED,
    /** the alarm's priority fell while it stayed active (e.g. urgency CRITICAL → WARNING): no new acknowledgement needed */
    DEESCALATED,
    /** a person acknowledged it */
    ACKNOWLEDGED,
    /** a person shelved it */
    SHELVED,
    /** a person took it off the shelf */
    UNSHELVED,
    /** the shelf's time ran out */
    SHELF_EXPIRED,
    /** a suppression-by-design condition began */
    SUPPRESSED,
    /** the suppression-by-design condition ended */
    UNSUPPRESSED,
    /** a person took it out of service */
    REMOVED_FROM_SERVICE,
    /** a person returned it to service */
    RETURNED_TO_SERVICE,
    /** a person added a comment (the state does not change) */
    COMMENTED,
    /** it became active too often within the chattering window, or stopped doing so */
    CHATTERING
}
