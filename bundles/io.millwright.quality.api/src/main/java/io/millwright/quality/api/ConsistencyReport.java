package io.millwright.quality.api;

import java.time.Instant;
import java.util.List;

/**
 * One measurement's physical consistency over its last window: what its asset class's rule expected from the other tags
 * (a linear model fitted on a reference period), what was measured, and the verdict of a two-sided CUSUM on the
 * difference with the corroborating channels.
 *
 * @param asset the asset
 * @param tag the measured tag
 * @param rule the rule, as configured
 * @param time the window's end
 * @param verdict the judgement
 * @param measured the window's mean of the tag (canonical unit; NaN while learning)
 * @param expected what the rule expected (NaN while learning or outside the reference)
 * @param residual measured − expected
 * @param shift while shifted: the mean residual since the CUSUM last stood at zero (the shift's size), else 0
 * @param sigma the residual's standard deviation over the reference period
 * @param referenceWindows windows in the reference (fewer than needed while learning)
 * @param moved the corroborating channels that left their reference level in this window
 */
public record ConsistencyReport(String asset, String tag, String rule, Instant time, Verdict verdict, double measured, double expected,
        double residual, double shift, double sigma, int referenceWindows, List<String> moved) {

    /** Copies the list. */
    public ConsistencyReport {
        moved = List.copyOf(moved);
    }

    /** The judgement of one window. */
    public enum Verdict {
        /** The reference period is still being collected. */
        LEARNING,
        /** The operating point (a term) lies outside what the reference saw: the rule cannot judge. */
        OUTSIDE_REFERENCE,
        /** The measurement follows the rule (an operating change the physics explains stays here). */
        CONSISTENT,
        /** The measurement has left the rule, for fewer windows than needed to tell why, or with nothing to corroborate. */
        DEVIATING,
        /** The measurement has left the rule and the corroborating channels have not moved: the sensor drifts. */
        SENSOR_DRIFT,
        /** The measurement has left the rule and a corroborating channel moved with it: the machine has changed. */
        MACHINE_CHANGE
    }
}
