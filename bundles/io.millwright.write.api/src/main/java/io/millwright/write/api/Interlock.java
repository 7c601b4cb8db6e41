package io.millwright.write.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A condition over the asset's twin that must hold for a write to go out. Text forms:
 * <ul>
 * <li>{@code state=RUNNING|IDLE} — the asset's operating state is one of these ({@code running} is short for
 * {@code state=RUNNING});</li>
 * <li>{@code no-alarm-priority<=1} — no annunciated alarm (active or unacknowledged) of priority 1 (or up to N) on the
 * asset;</li>
 * <li>{@code not-in-maintenance} — the asset is not in maintenance;</li>
 * <li>{@code fresh} — the tag's current value is GOOD and not stale.</li>
 * </ul>
 *
 * @param text the text form as configured
 * @param kind which condition
 * @param states for {@link Kind#STATE}: the allowed operating states (upper case)
 * @param priority for {@link Kind#NO_ALARM}: the least urgent priority that blocks (1 = most urgent)
 */
public record Interlock(String text, Kind kind, Set<String> states, int priority) {

    /** The conditions. */
    public enum Kind {
        /** operating state is one of {@code states} */
        STATE,
        /** no annunciated alarm of priority up to {@code priority} */
        NO_ALARM,
        /** not in maintenance */
        NOT_IN_MAINTENANCE,
        /** the tag's value is GOOD and not stale */
        FRESH
    }

    private static final List<String> STATES = List.of("RUNNING", "IDLE", "STOPPED", "TRIPPED", "MAINTENANCE", "UNKNOWN");

    /** Copies the set. */
    public Interlock {
        states = Set.copyOf(states);
    }

    /**
     * @param text a text form
     * @return the interlock
     * @throws IllegalArgumentException naming the text and the forms that are understood
     */
    public static Interlock parse(String text) {
        String t = text == null ? "" : text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("running")) {
            return new Interlock(t, Kind.STATE, Set.of("RUNNING"), 0);
        }
        if (lower.equals("not-in-maintenance")) {
            return new Interlock(t, Kind.NOT_IN_MAINTENANCE, Set.of(), 0);
        }
        if (lower.equals("fresh")) {
            return new Interlock(t, Kind.FRESH, Set.of(), 0);
        }
        if (lower.startsWith("state=")) {
            Set<String> states = Arrays.stream(t.substring(6).split("\\|")).map(s -> s.trim().toUpperCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            for (String s : states) {
                if (!STATES.contains(s)) {
                    throw new IllegalArgumentException("interlock '" + t + "': unknown operating state '" + s + "', one of " + STATES);
                }
            }
            return new Interlock(t, Kind.STATE, states, 0);
        }
        if (lower.startsWith("no-alarm-priority<=")) {
            String n = t.substring("no-alarm-priority<=".length()).trim();
            if (n.matches("[1-4]")) {
                return new Interlock(t, Kind.NO_ALARM, Set.of(), Integer.parseInt(n));
            }
            throw new IllegalArgumentException("interlock '" + t + "': the priority must be 1-4");
        }
        throw new IllegalArgumentException("unknown interlock '" + t + "': expected running, state=RUNNING|IDLE, "
                + "no-alarm-priority<=1, not-in-maintenance or fresh");
    }

    @Override
    public String toString() {
        return text;
    }
}
