package io.millwright.alarm.api;

/**
 * One transition of one alarm, as the durable alarm log keeps it.
 *
 * @param sequence the event's place in the log: 1, 2, 3, … without holes
 * @param timeMs when, epoch milliseconds (source time of the sample that caused it, or the time of the person's action)
 * @param alarmId {@code asset/name}
 * @param transition what happened
 * @param from the state before
 * @param to the state after
 * @param priority the alarm's priority after the transition
 * @param active whether the condition was active after the transition
 * @param value the watched value, as text with its unit (may be empty)
 * @param cause why, in words: the condition ({@code bearing_temperature 91.3 Cel > 85 for 10 s}) or the person's action
 * @param actor who acted (user or token name); empty when the gateway itself caused it
 * @param comment what the person wrote (may be empty)
 * @param context where the asset sits and what it is
 * @param correlationId the {@link io.millwright.api.CorrelationId} of the sample that activated this episode of the
 *     alarm (for an alarm on a model's urgency: the score, its window and model version, as its lineage says); every
 *     transition of the episode carries it; empty if none
 */
public record AlarmEvent(long sequence, long timeMs, String alarmId, AlarmTransition transition, AlarmState from, AlarmState to,
        int priority, boolean active, String value, String cause, String actor, String comment, AlarmContext context,
        String correlationId) {

    /** Missing texts become empty. */
    public AlarmEvent {
        value = value == null ? "" : value;
        cause = cause == null ? "" : cause;
        actor = actor == null ? "" : actor;
        comment = comment == null ? "" : comment;
        correlationId = correlationId == null ? "" : correlationId;
    }

    /**
     * An event without a correlation id.
     *
     * @param sequence the event's place in the log
     * @param timeMs when, epoch milliseconds
     * @param alarmId {@code asset/name}
     * @param transition what happened
     * @param from the state before
     * @param to the state after
     * @param priority the alarm's priority after the transition
     * @param active whether the condition was active after the transition
     * @param value the watched value, as text with its unit
     * @param cause why, in words
     * @param actor who acted
     * @param comment what the person wrote
     * @param context where the asset sits and what it is
     */
    public AlarmEvent(long sequence, long timeMs, String alarmId, AlarmTransition transition, AlarmState from, AlarmState to, int priority,
            boolean active, String value, String cause, String actor, String comment, AlarmContext context) {
        this(sequence, timeMs, alarmId, transition, from, to, priority, active, value, cause, actor, comment, context, "");
    }

    /** @return the asset part of the alarm id */
    public String asset() {
        return alarmId.substring(0, alarmId.indexOf('/'));
    }
}
