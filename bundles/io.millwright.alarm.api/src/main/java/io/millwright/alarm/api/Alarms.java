package io.millwright.alarm.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's alarms, provided as an OSGi service by the alarm engine.
 *
 * <p>Actions of people ({@link #acknowledge}, {@link #shelve}, …) are applied in order with the engine's evaluation,
 * made durable before they return, logged as {@link AlarmEvent}s and audited with the actor. An unknown alarm id is a
 * {@link java.util.NoSuchElementException}, an action the alarm's state does not allow an {@link IllegalStateException},
 * a bad argument an {@link IllegalArgumentException}; each message names the alarm and the reason.
 */
@ProviderType
public interface Alarms {

    /** @return every configured alarm with its current state, by asset then name */
    List<Alarm> alarms();

    /**
     * @param id {@code asset/name}
     * @return the alarm, if configured
     */
    Optional<Alarm> alarm(String id);

    /**
     * Reads the durable log of transitions: what notification sinks, history views and KPIs read.
     *
     * @param afterSequence return events after this one (0 for the oldest kept)
     * @param max at most this many
     * @return events in sequence order
     */
    List<AlarmEvent> events(long afterSequence, int max);

    /** @return the sequence of the newest event, 0 if none */
    long lastSequence();

    /**
     * Acknowledges an alarm that is {@link AlarmState#UNACKNOWLEDGED} or {@link AlarmState#RTN_UNACKNOWLEDGED}.
     *
     * @param id the alarm
     * @param actor who acknowledges
     * @param comment why or what was done (may be empty)
     * @return the alarm after the action
     */
    Alarm acknowledge(String id, String actor, String comment);

    /**
     * Shelves an alarm until a time: it is not annunciated until then or until {@link #unshelve}; when the shelf
     * expires the alarm takes the state its condition calls for (an active condition is annunciated afresh).
     *
     * @param id the alarm
     * @param actor who shelves
     * @param reason why (required)
     * @param until when the shelf expires by itself (in the future, at most the engine's maximum shelf time ahead)
     * @return the alarm after the action
     */
    Alarm shelve(String id, String actor, String reason, Instant until);

    /**
     * @param id a shelved alarm
     * @param actor who takes it off the shelf
     * @param comment why (may be empty)
     * @return the alarm after the action
     */
    Alarm unshelve(String id, String actor, String comment);

    /**
     * @param id the alarm
     * @param actor who takes it out of service
     * @param reason why (required)
     * @return the alarm after the action
     */
    Alarm removeFromService(String id, String actor, String reason);

    /**
     * @param id an alarm out of service
     * @param actor who returns it
     * @param comment why (may be empty)
     * @return the alarm after the action
     */
    Alarm returnToService(String id, String actor, String comment);

    /**
     * Adds a comment to an alarm's log without changing its state.
     *
     * @param id the alarm
     * @param actor who comments
     * @param comment the text (required)
     * @return the alarm
     */
    Alarm comment(String id, String actor, String comment);

    /**
     * The alarm-management figures over a period, from the log.
     *
     * @param from start (inclusive)
     * @param to end (exclusive)
     * @param operators how many operators share these alarms (≥ 1), for the per-operator rate
     * @return the figures
     */
    AlarmKpis kpis(Instant from, Instant to, int operators);
}
