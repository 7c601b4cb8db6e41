package io.millwright.driver.support;

/** Configuration checks whose messages name the attribute and the bad value. */
public final class ConfigChecks {

    private ConfigChecks() {
    }

    /**
     * @param id a device id
     * @return the id
     * @throws IllegalArgumentException unless 1-64 characters of [A-Za-z0-9_.-]
     */
    public static String deviceId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException("deviceId=" + id + ": 1-64 characters of [A-Za-z0-9_.-]");
        }
        return id;
    }

    /**
     * @param attribute attribute name
     * @param value value
     * @return the value
     * @throws IllegalArgumentException if blank
     */
    public static String required(String attribute, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(attribute + " is required");
        }
        return value.trim();
    }

    /**
     * @param attribute attribute name
     * @param value value
     * @param min least allowed
     * @param max greatest allowed
     * @throws IllegalArgumentException if outside [min, max]
     */
    public static void range(String attribute, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(attribute + "=" + value + ": must be " + min + ".." + max);
        }
    }

    /**
     * @param attribute attribute name
     * @param value value
     * @param min least allowed
     * @param max greatest allowed
     * @throws IllegalArgumentException if outside [min, max] or not finite
     */
    public static void range(String attribute, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(attribute + "=" + value + ": must be " + min + ".." + max);
        }
    }

    /**
     * @param attribute attribute name
     * @param value value
     * @param allowed allowed values
     * @return the value
     * @throws IllegalArgumentException if not one of {@code allowed}
     */
    public static String oneOf(String attribute, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(attribute + "=" + value + ": must be one of " + String.join(", ", allowed));
    }
}
