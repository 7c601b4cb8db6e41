package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.AlarmTransition;

/**
 * The ISA-18.2 alarm lifecycle as pure functions over an {@link AlarmRecord}: each applies one cause (the condition,
 * a person, the asset's state, the clock) and returns the {@link Change} it made, or null when nothing changed. People's
 * actions that the state does not allow throw {@link IllegalStateException} naming the state.
 *
 * <p>Rules: an active condition is annunciated unacknowledged; acknowledging keeps it annunciated until the condition
 * clears; a condition that clears unacknowledged waits in RTN-unacknowledged; a latching alarm always waits there for
 * an acknowledgement after the condition clears (that acknowledgement is its reset). Shelved, suppressed-by-design and
 * out-of-service alarms keep following their condition without being annunciated; when the block ends, an active
 * condition is annunciated afresh (unacknowledged) and a clear one returns to normal. A rise in priority while active
 * (escalation) asks for a new acknowledgement; a fall does not.
 */
public final class AlarmLifecycle {

    /**
     * What one cause did.
     *
     * @param transition the transition
     * @param from the state before
     * @param to the state after
     * @param cause in words
     * @param actor who (empty for the gateway)
     * @param comment what the person wrote
     */
    public record Change(AlarmTransition transition, AlarmState from, AlarmState to, String cause, String actor, String comment) {
    }

    private AlarmLifecycle() {
    }

    /** The condition is active (after its on-delay) with this priority; also escalation and de-escalation. */
    static Change activate(AlarmRecord r, long timeMs, int priority, String value, String cause) {
        AlarmState from = r.state;
        AlarmTransition transition;
        if (!r.active) {
            r.active = true;
            r.activeSinceMs = timeMs;
            r.priority = priority;
            r.acknowledged = r.blocked();
            transition = AlarmTransition.ACTIVATED;
        } else if (priority < r.priority) {
            r.priority = priority;
            r.acknowledged = r.blocked();
            transition = AlarmTransition.ESCALATED;
        } else if (priority > r.priority) {
            r.priority = priority;
            transition = AlarmTransition.DEESCALATED;
        } else {
            return null;
        }
        r.value = value;
        r.message = cause;
        return settle(r, timeMs, from, transition, cause, "", "");
    }

    /** The condition cleared (after deadband and off-delay). */
    static Change clear(AlarmRecord r, long timeMs, boolean latching, String value, String cause) {
        if (!r.active) {
            return null;
        }
        AlarmState from = r.state;
        r.active = false;
        r.activeSinceMs = 0;
        if (latching && !r.blocked()) {
            r.acknowledged = false;
        }
        if (r.blocked()) {
            r.acknowledged = true;
        }
        r.value = value;
        r.message = cause;
        return settle(r, timeMs, from, AlarmTransition.CLEARED, cause, "", "");
    }

    static Change acknowledge(String id, AlarmRecord r, long timeMs, String actor, String comment) {
        if (r.state != AlarmState.UNACKNOWLEDGED && r.state != AlarmState.RTN_UNACKNOWLEDGED) {
            throw new IllegalStateException("alarm " + id + " is " + r.state + ": nothing to acknowledge");
        }
        AlarmState from = r.state;
        r.acknowledged = true;
        return settle(r, timeMs, from, AlarmTransition.ACKNOWLEDGED, "acknowledged by " + actor, actor, comment);
    }

    static Change shelve(String id, AlarmRecord r, long timeMs, String actor, String reason, long untilMs) {
        if (r.outOfService != null) {
            throw new IllegalStateException("alarm " + id + " is OUT_OF_SERVICE: return it to service before shelving it");
        }
        AlarmState from = r.state;
        r.shelf = new Alarm.Shelf(actor, reason, timeMs, untilMs);
        return settle(r, timeMs, from, AlarmTransition.SHELVED, "shelved by " + actor + " until " + java.time.Instant.ofEpochMilli(untilMs),
                actor, reason);
    }

    static Change unshelve(String id, AlarmRecord r, long timeMs, String actor, String comment) {
        if (r.shelf == null) {
            throw new IllegalStateException("alarm " + id + " is " + r.state + ": it is not shelved");
        }
        AlarmState from = r.state;
        r.shelf = null;
        unblocked(r);
        return settle(r, timeMs, from, AlarmTransition.UNSHELVED, "unshelved by " + actor, actor, comment);
    }

    /** The shelf's time ran out (checked by the engine's clock). */
    static Change expireShelf(AlarmRecord r, long nowMs) {
        if (r.shelf == null || nowMs < r.shelf.untilMs()) {
            return null;
        }
        AlarmState from = r.state;
        Alarm.Shelf s = r.shelf;
        r.shelf = null;
        unblocked(r);
        return settle(r, nowMs, from, AlarmTransition.SHELF_EXPIRED, "shelf of " + s.by() + " expired (" + s.reason() + ")", "", "");
    }

    /** A suppression-by-design condition began ({@code on}) or ended. */
    static Change suppress(AlarmRecord r, long timeMs, boolean on, String why) {
        if (r.suppressed == on) {
            return null;
        }
        AlarmState from = r.state;
        r.suppressed = on;
        if (!on) {
            unblocked(r);
        }
        return settle(r, timeMs, from, on ? AlarmTransition.SUPPRESSED : AlarmTransition.UNSUPPRESSED, why, "", "");
    }

    static Change removeFromService(String id, AlarmRecord r, long timeMs, String actor, String reason) {
        if (r.outOfService != null) {
            throw new IllegalStateException("alarm " + id + " is already OUT_OF_SERVICE (since "
                    + java.time.Instant.ofEpochMilli(r.outOfService.sinceMs()) + ", by " + r.outOfService.by() + ")");
        }
        AlarmState from = r.state;
        r.outOfService = new Alarm.Shelf(actor, reason, timeMs, 0);
        r.shelf = null;
        return settle(r, timeMs, from, AlarmTransition.REMOVED_FROM_SERVICE, "removed from service by " + actor, actor, reason);
    }

    static Change returnToService(String id, AlarmRecord r, long timeMs, String actor, String comment) {
        if (r.outOfService == null) {
            throw new IllegalStateException("alarm " + id + " is " + r.state + ": it is not out of service");
        }
        AlarmState from = r.state;
        r.outOfService = null;
        unblocked(r);
        return settle(r, timeMs, from, AlarmTransition.RETURNED_TO_SERVICE, "returned to service by " + actor, actor, comment);
    }

    static Change comment(AlarmRecord r, long timeMs, String actor, String comment) {
        return new Change(AlarmTransition.COMMENTED, r.state, r.state, "comment by " + actor, actor, comment);
    }

    /** The chattering flag changes ({@code on}: too many activations within the window). */
    static Change chattering(AlarmRecord r, boolean on, String why) {
        if (r.chattering == on) {
            return null;
        }
        r.chattering = on;
        return new Change(AlarmTransition.CHATTERING, r.state, r.state, why, "", "");
    }

    /** A block ended: an active condition is annunciated afresh, a clear one returns to normal. */
    private static void unblocked(AlarmRecord r) {
        if (!r.blocked()) {
            r.acknowledged = !r.active;
        }
    }

    private static Change settle(AlarmRecord r, long timeMs, AlarmState from, AlarmTransition transition, String cause, String actor,
            String comment) {
        r.state = r.derive();
        if (r.state != from) {
            r.stateSinceMs = timeMs;
        }
        return new Change(transition, from, r.state, cause, actor, comment);
    }
}
