package io.millwright.whatif.api;

import java.util.List;

/**
 * Scenarios compared side by side, with what they were computed from.
 *
 * @param asset the asset
 * @param timeMs when it was computed, epoch ms
 * @param twinTimeMs the time of the twin state it started from
 * @param horizonHours the horizon, plant hours
 * @param physics the physics, {@code id@version}
 * @param model the scoring model, {@code id@version}, empty without one
 * @param featureSet the model's feature set, {@code name@version}, empty without a model
 * @param startRulHours the model's remaining life when the run started (the wear's estimate), NaN without a model
 * @param elapsedMs how long the computation took
 * @param results the baseline first, then each scenario
 * @param plantSecondsPerSecond plant seconds per second of the device's clock (1 for a real machine; more when a
 *        simulated plant runs faster than the clock): maps the projection's plant hours to the clock's
 */
public record WhatIfReport(String asset, long timeMs, long twinTimeMs, double horizonHours, String physics, String model, String featureSet,
        double startRulHours, long elapsedMs, List<ScenarioResult> results, double plantSecondsPerSecond) {

    /** Copies the list. */
    public WhatIfReport {
        results = List.copyOf(results);
    }

    /**
     * A report of a plant that runs as fast as the clock (the constructor of API 1.0).
     *
     * @param asset the asset
     * @param timeMs when
     * @param twinTimeMs the twin state's time
     * @param horizonHours the horizon
     * @param physics the physics
     * @param model the scoring model
     * @param featureSet its feature set
     * @param startRulHours the model's remaining life at the start
     * @param elapsedMs the computation's time
     * @param results the results
     */
    public WhatIfReport(String asset, long timeMs, long twinTimeMs, double horizonHours, String physics, String model, String featureSet,
            double startRulHours, long elapsedMs, List<ScenarioResult> results) {
        this(asset, timeMs, twinTimeMs, horizonHours, physics, model, featureSet, startRulHours, elapsedMs, results, 1);
    }
}
