package io.millwright.alarm.api;

import java.util.Objects;

/**
 * One alarm of one asset as it stands now.
 *
 * @param id {@code asset/name}
 * @param asset the asset's id
 * @param name the definition's name
 * @param definition the effective definition (the class's, with the asset's overrides)
 * @param context where the asset sits and what it is (for filters and routing)
 * @param state the lifecycle state
 * @param active whether the condition is active now (after delays), whatever the state shows
 * @param acknowledged whether the current or last activation has been acknowledged
 * @param priority the priority now (a {@link AlarmKind#STATE} alarm takes the priority of the state it is in)
 * @param stateSinceMs when the state last changed, epoch milliseconds
 * @param activeSinceMs when the condition last became active, 0 if it is not
 * @param value the watched value at the last change, as text with its unit
 * @param message what happened, e.g. {@code bearing_temperature 91.3 Cel > 85}
 * @param shelf who shelved it, why and until when, or null
 * @param outOfService who took it out of service and why, or null
 * @param firstOut whether it was the first of its asset's alarms to activate while none of them was active
 * @param firstOutOfLine the same among every alarm of its line
 * @param chattering whether it activated too often within the chattering window
 * @param runbook what to do: text and link of the asset class's runbook for this alarm (may be empty)
 */
public record Alarm(String id, String asset, String name, AlarmDefinition definition, AlarmContext context, AlarmState state,
        boolean active, boolean acknowledged, int priority, long stateSinceMs, long activeSinceMs, String value, String message,
        Shelf shelf, Shelf outOfService, boolean firstOut, boolean firstOutOfLine, boolean chattering, Runbook runbook) {

    /** Requires the identifying parts. */
    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(state, "state");
        value = value == null ? "" : value;
        message = message == null ? "" : message;
        runbook = runbook == null ? Runbook.NONE : runbook;
    }

    /**
     * Who put an alarm aside and why: a shelf (with an end) or out of service (until returned).
     *
     * @param by the user
     * @param reason why
     * @param sinceMs when, epoch milliseconds
     * @param untilMs when the shelf expires by itself, epoch milliseconds; 0 for out of service
     */
    public record Shelf(String by, String reason, long sinceMs, long untilMs) {
    }

    /**
     * What to do about an alarm, as the asset class says.
     *
     * @param text the instructions
     * @param link where the full procedure is (may be empty)
     */
    public record Runbook(String text, String link) {
        /** No runbook. */
        public static final Runbook NONE = new Runbook("", "");

        /** Missing parts become empty. */
        public Runbook {
            text = text == null ? "" : text;
            link = link == null ? "" : link;
        }
    }
}
