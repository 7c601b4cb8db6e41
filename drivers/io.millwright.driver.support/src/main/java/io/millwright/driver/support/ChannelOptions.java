package io.millwright.driver.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} and {@code flag} options that follow a channel's address in the channel text
 * form of every driver, e.g. {@code scale=0.1 unit=bar writable}.
 */
public final class ChannelOptions {

    private final Map<String, String> values;

    private ChannelOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param parts the channel text split at white space
     * @param from index of the first option
     * @param allowed the option names this driver knows
     * @return the options
     * @throws IllegalArgumentException for an unknown or repeated option
     */
    public static ChannelOptions parse(String[] parts, int from, List<String> allowed) {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (!allowed.contains(kv[0])) {
                throw new IllegalArgumentException("unknown option '" + kv[0] + "' (known: " + String.join(", ", allowed) + ")");
            }
            if (values.put(kv[0], kv.length == 2 ? kv[1] : "true") != null) {
                throw new IllegalArgumentException("option '" + kv[0] + "' given twice");
            }
        }
        return new ChannelOptions(values);
    }

    /**
     * @param key option
     * @param dflt value when absent
     * @return the number
     * @throws IllegalArgumentException if present and not a number
     */
    public double number(String key, double dflt) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a number");
        }
    }

    /**
     * @param key option
     * @param dflt value when absent
     * @return the text
     */
    public String text(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    /**
     * @param key option
     * @return true if given as a flag or {@code key=true}
     */
    public boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }
}
