package io.millwright.alarm.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One alarm of an asset class, applied to every asset of the class (an asset may override settings).
 *
 * <p>Text form (one line; settings in any order):
 * <pre>
 * name KIND tag [limit=n] [deadband=n] [onDelay=5s] [offDelay=2s] [priority=1..4] [latching]
 *               [suppressWhen=stopped,maintenance] [setpoint=tag] [states=WARNING:3,CRITICAL:1]
 * </pre>
 * e.g. {@code bearing_temperature_hi HI bearing_temperature limit=85 deadband=3 onDelay=10s priority=2
 * suppressWhen=stopped,maintenance}. Durations take {@code ms}, {@code s}, {@code m} or {@code h}. Priority 1 is the most
 * urgent. Values compare in the tag's canonical unit.
 *
 * @param name the alarm's name, unique in its class, 1-64 characters of {@code [A-Za-z0-9_.-]}
 * @param kind what it watches
 * @param tag the asset tag it watches
 * @param limit the limit (in the tag's canonical unit; per second for {@link AlarmKind#RATE}; multiples of the expected
 *     interval for {@link AlarmKind#STALE}); NaN where the kind has none
 * @param deadband how far back past the limit the value must go before the alarm clears (≥ 0)
 * @param onDelayMs how long the condition must hold before the alarm activates
 * @param offDelayMs how long the condition must stay clear before the alarm clears
 * @param priority 1 (most urgent) to 4; for {@link AlarmKind#STATE} the highest of {@code states}
 * @param latching whether it stays annunciated after the condition clears until a person acknowledges it again
 * @param suppressWhen operating states of the asset (lower case: running, idle, stopped, tripped, maintenance) during
 *     which the alarm is suppressed by design
 * @param setpointTag the tag holding the setpoint of a {@link AlarmKind#DEVIATION} alarm, else empty
 * @param states for {@link AlarmKind#STATE}: the values that activate it and each one's priority, in order; {@code *}
 *     stands for any other non-empty value (e.g. {@code trip STATE trip_reason states=*:1})
 */
public record AlarmDefinition(String name, AlarmKind kind, String tag, double limit, double deadband, long onDelayMs,
        long offDelayMs, int priority, boolean latching, Set<String> suppressWhen, String setpointTag,
        Map<String, Integer> states) {

    /** The operating states a definition may name in {@code suppressWhen}. */
    public static final Set<String> OPERATING_STATES = Set.of("running", "idle", "stopped", "tripped", "maintenance");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** Checks every setting; the message names the alarm, the setting and the bad value. */
    public AlarmDefinition {
        check(name, "name", name);
        Objects.requireNonNull(kind, "kind");
        check(name, "tag", tag);
        setpointTag = setpointTag == null ? "" : setpointTag;
        suppressWhen = Collections.unmodifiableSet(new LinkedHashSet<>(suppressWhen == null ? Set.of() : suppressWhen));
        states = Collections.unmodifiableMap(new LinkedHashMap<>(states == null ? Map.of() : states));
        if (priority < 1 || priority > 4) {
            throw bad(name, "priority", String.valueOf(priority), "expected 1 (most urgent) to 4");
        }
        if (!(deadband >= 0) || Double.isInfinite(deadband)) {
            throw bad(name, "deadband", String.valueOf(deadband), "expected a finite number ≥ 0");
        }
        if (onDelayMs < 0 || offDelayMs < 0) {
            throw bad(name, onDelayMs < 0 ? "onDelay" : "offDelay", String.valueOf(Math.min(onDelayMs, offDelayMs)), "expected ≥ 0");
        }
        boolean needsLimit = kind.isLimit() || kind == AlarmKind.RATE || kind == AlarmKind.DEVIATION;
        if (kind == AlarmKind.STALE && Double.isNaN(limit)) {
            limit = 3;
        }
        if (needsLimit && !Double.isFinite(limit)) {
            throw bad(name, "limit", String.valueOf(limit), "a " + kind + " alarm needs a finite limit");
        }
        if ((kind == AlarmKind.RATE || kind == AlarmKind.DEVIATION || kind == AlarmKind.STALE) && !(limit > 0)) {
            throw bad(name, "limit", String.valueOf(limit), "a " + kind + " limit must be > 0");
        }
        if (kind == AlarmKind.DEVIATION) {
            check(name, "setpoint", setpointTag);
        }
        if (kind == AlarmKind.STATE) {
            if (states.isEmpty()) {
                throw bad(name, "states", "", "a STATE alarm needs states=VALUE:priority,...");
            }
            for (Map.Entry<String, Integer> e : states.entrySet()) {
                if (e.getValue() < 1 || e.getValue() > 4) {
                    throw bad(name, "states", e.getKey() + ":" + e.getValue(), "priority must be 1 to 4");
                }
            }
            priority = Collections.min(states.values());
        }
        for (String s : suppressWhen) {
            if (!OPERATING_STATES.contains(s)) {
                throw bad(name, "suppressWhen", s, "expected some of " + new java.util.TreeSet<>(OPERATING_STATES));
            }
        }
    }

    /**
     * Parses the text form.
     *
     * @param line e.g. {@code bearing_temperature_hi HI bearing_temperature limit=85 priority=2}
     * @return the definition
     * @throws IllegalArgumentException naming the alarm, the setting and the bad value
     */
    public static AlarmDefinition parse(String line) {
        String[] parts = Objects.requireNonNull(line, "line").trim().split("\\s+");
        if (parts.length < 3) {
            throw new IllegalArgumentException("alarm definition '" + line.trim() + "': expected 'name KIND tag [setting=value ...]'");
        }
        AlarmKind kind;
        try {
            kind = AlarmKind.valueOf(parts[1].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(parts[0], "kind", parts[1], "expected one of " + java.util.Arrays.toString(AlarmKind.values()));
        }
        List<String> settings = new ArrayList<>(List.of(parts).subList(3, parts.length));
        if ((kind.isLimit() || kind == AlarmKind.RATE || kind == AlarmKind.DEVIATION) && settings.stream().noneMatch(s -> s.startsWith("limit="))) {
            throw bad(parts[0], "limit", "", "a " + kind + " alarm needs limit=");
        }
        if (kind == AlarmKind.STATE && settings.stream().noneMatch(s -> s.startsWith("states="))) {
            throw bad(parts[0], "states", "", "a STATE alarm needs states=VALUE:priority,...");
        }
        if (kind == AlarmKind.DEVIATION && settings.stream().noneMatch(s -> s.startsWith("setpoint="))) {
            throw bad(parts[0], "setpoint", "", "a DEVIATION alarm needs setpoint=<tag>");
        }
        // placeholders where a setting is required (checked above), replaced by the settings that follow
        double placeholderLimit = kind == AlarmKind.RATE || kind == AlarmKind.DEVIATION ? 1 : kind.isLimit() ? 0 : Double.NaN;
        AlarmDefinition base = new AlarmDefinition(parts[0], kind, parts[2], placeholderLimit, 0, 0, 0, 3, false, Set.of(), kind == AlarmKind.DEVIATION ? parts[2] : "",
                kind == AlarmKind.STATE ? Map.of("ACTIVE", 3) : Map.of());
        return base.with(settings);
    }

    /**
     * An asset's override of some settings (all but name, kind and tag), e.g. {@code limit=80 priority=1}.
     *
     * @param settings settings in the text form, separated by blanks
     * @return a copy with those settings changed
     * @throws IllegalArgumentException naming the alarm, the setting and the bad value
     */
    public AlarmDefinition withOverrides(String settings) {
        String trimmed = settings == null ? "" : settings.trim();
        return trimmed.isEmpty() ? this : with(List.of(trimmed.split("\\s+")));
    }

    private AlarmDefinition with(List<String> settings) {
        double lim = limit;
        double db = deadband;
        long on = onDelayMs;
        long off = offDelayMs;
        int prio = priority;
        boolean latch = latching;
        Set<String> suppress = suppressWhen;
        String sp = setpointTag;
        Map<String, Integer> st = states;
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            String value = eq < 0 ? "" : setting.substring(eq + 1);
            switch (key) {
                case "limit" -> lim = number(key, value);
                case "deadband" -> db = number(key, value);
                case "onDelay" -> on = duration(key, value);
                case "offDelay" -> off = duration(key, value);
                case "priority" -> prio = (int) integer(key, value);
                case "latching" -> latch = eq < 0 || Boolean.parseBoolean(value);
                case "suppressWhen" -> suppress = value.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(value.toLowerCase(Locale.ROOT).split(",")));
                case "setpoint" -> sp = value;
                case "states" -> st = states(value);
                default -> throw bad(name, key, value, "unknown setting; expected limit, deadband, onDelay, offDelay, priority, "
                        + "latching, suppressWhen, setpoint or states");
            }
        }
        return new AlarmDefinition(name, kind, tag, lim, db, on, off, prio, latch, suppress, sp, st);
    }

    /** @return the text form, which {@link #parse} reads back to an equal definition */
    public String toText() {
        StringBuilder b = new StringBuilder(name).append(' ').append(kind).append(' ').append(tag);
        if (!Double.isNaN(limit) && kind != AlarmKind.BAD_QUALITY && kind != AlarmKind.STATE) {
            b.append(" limit=").append(plain(limit));
        }
        if (deadband > 0) {
            b.append(" deadband=").append(plain(deadband));
        }
        if (onDelayMs > 0) {
            b.append(" onDelay=").append(onDelayMs).append("ms");
        }
        if (offDelayMs > 0) {
            b.append(" offDelay=").append(offDelayMs).append("ms");
        }
        if (kind == AlarmKind.STATE) {
            b.append(" states=");
            states.forEach((k, v) -> b.append(k).append(':').append(v).append(','));
            b.setLength(b.length() - 1);
        } else {
            b.append(" priority=").append(priority);
        }
        if (latching) {
            b.append(" latching");
        }
        if (!suppressWhen.isEmpty()) {
            b.append(" suppressWhen=").append(String.join(",", suppressWhen));
        }
        if (kind == AlarmKind.DEVIATION) {
            b.append(" setpoint=").append(setpointTag);
        }
        return b.toString();
    }

    /**
     * @param state a value of the watched tag (a {@link AlarmKind#STATE} alarm)
     * @return its priority, or 0 if the value does not activate the alarm
     */
    public int priorityOf(String state) {
        Integer p = states.get(state);
        if (p == null && state != null && !state.isEmpty()) {
            p = states.get("*");
        }
        return p == null ? 0 : p;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private double number(String key, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, key, value, "expected a finite number");
        }
    }

    private long integer(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw bad(name, key, value, "expected a whole number");
        }
    }

    private long duration(String key, String value) {
        var m = DURATION.matcher(value);
        if (!m.matches()) {
            throw bad(name, key, value, "expected a duration such as 500ms, 10s, 5m or 1h");
        }
        double n = Double.parseDouble(m.group(1));
        double factor = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Math.round(n * factor);
    }

    private Map<String, Integer> states(String value) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (String item : value.split(",")) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0) {
                throw bad(name, "states", item, "expected VALUE:priority");
            }
            map.put(item.substring(0, colon), (int) integer("states", item.substring(colon + 1)));
        }
        return map;
    }

    private static void check(String alarm, String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw bad(alarm, what, value, "expected 1-64 characters of [A-Za-z0-9_.-]");
        }
    }

    private static IllegalArgumentException bad(String alarm, String setting, String value, String why) {
        return new IllegalArgumentException("alarm '" + alarm + "': " + setting + " '" + value + "' — " + why);
    }
}
