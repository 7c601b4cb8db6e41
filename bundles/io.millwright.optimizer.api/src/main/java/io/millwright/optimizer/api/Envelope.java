package io.millwright.optimizer.api;

import java.util.Objects;

/**
 * What an engineer allows the optimizer of one asset to do. Values in the tag's canonical unit; hours of the gateway's
 * clock except the remaining-life target, which is in the plant hours the twin's model and what-if count.
 *
 * @param tag the writable tag it sets, e.g. {@code speed_setpoint}
 * @param min the least value it may write
 * @param max the greatest value it may write
 * @param maxChangePerHour the most it may change the value, summed over any hour
 * @param rulTargetHours the objective's constraint: the most output whose projected remaining useful life stays at or
 *        above this (also the what-if's horizon)
 * @param periodSeconds how often it decides
 * @param temperatureToleranceC how far the observed bearing temperature may lie from the projection before it stops
 * @param vibrationTolerance how far the observed vibration RMS may lie from the projection, as a share of the projection
 */
public record Envelope(String tag, double min, double max, double maxChangePerHour, double rulTargetHours, int periodSeconds,
        double temperatureToleranceC, double vibrationTolerance) {

    /** the tag when none is named */
    public static final String DEFAULT_TAG = "speed_setpoint";
    /** the life target when none is given, plant hours (two weeks) */
    public static final double DEFAULT_RUL_TARGET_HOURS = 336;
    /** the period when none is given, seconds */
    public static final int DEFAULT_PERIOD_SECONDS = 60;
    /** the bearing temperature tolerance when none is given, °C */
    public static final double DEFAULT_TEMPERATURE_TOLERANCE_C = 8;
    /** the vibration tolerance when none is given, a share of the projection */
    public static final double DEFAULT_VIBRATION_TOLERANCE = 0.5;

    /** Checks every value, naming the bad one. */
    public Envelope {
        Objects.requireNonNull(tag, "tag");
        if (!tag.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("tag: '" + tag + "' is not a tag name");
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("min: " + min + " and max: " + max + " — need finite numbers with min < max");
        }
        if (!(maxChangePerHour > 0) || !Double.isFinite(maxChangePerHour)) {
            throw new IllegalArgumentException("maxChangePerHour: " + maxChangePerHour + " — must be a number > 0");
        }
        if (!(rulTargetHours >= 1 && rulTargetHours <= 8760)) {
            throw new IllegalArgumentException("rulTargetHours: " + rulTargetHours + " — must be between 1 and 8760");
        }
        if (periodSeconds < 5 || periodSeconds > 86_400) {
            throw new IllegalArgumentException("periodSeconds: " + periodSeconds + " — must be between 5 and 86400");
        }
        if (!(temperatureToleranceC > 0) || !Double.isFinite(temperatureToleranceC)) {
            throw new IllegalArgumentException("temperatureToleranceC: " + temperatureToleranceC + " — must be a number > 0");
        }
        if (!(vibrationTolerance > 0) || !Double.isFinite(vibrationTolerance)) {
            throw new IllegalArgumentException("vibrationTolerance: " + vibrationTolerance + " — must be a number > 0");
        }
    }
}
