package io.millwright.asset.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration line of the form {@code name key=value key=value}: the name and its settings, with checked
 * readers whose errors name the line's name, the key and the bad value.
 */
final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    final String name;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final String what;

    private Settings(String what, String name) {
        this.what = what;
        this.name = name;
    }

    /**
     * @param what what the line describes, for messages ({@code tag}, {@code template tag})
     * @param line the line
     * @param allowed the keys it may have
     * @return the parsed line
     */
    static Settings parse(String what, String line, String... allowed) {
        String[] parts = line.trim().split("\\s+");
        if (parts[0].isEmpty() || !NAME.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException(what + " '" + line.trim() + "': the name '" + parts[0]
                    + "' must be 1-64 characters of [A-Za-z0-9_.-]");
        }
        Settings s = new Settings(what, parts[0]);
        java.util.Set<String> keys = java.util.Set.of(allowed);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(what + " '" + s.name + "': unknown setting '" + key + "'; expected one of "
                        + String.join(", ", allowed));
            }
            s.values.put(key, eq < 0 ? "true" : parts[i].substring(eq + 1));
        }
        return s;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String text(String key, String otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    double number(String key, double otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + name + "': " + key + " '" + v + "' — expected a number");
        }
    }

    long durationMs(String key, long otherwise) {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " '" + name + "': " + key + " '" + v + "' — expected a duration such as 500ms, 1s, 5m");
        }
        double n = Double.parseDouble(m.group(1));
        return Math.round(n * switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        });
    }
}
