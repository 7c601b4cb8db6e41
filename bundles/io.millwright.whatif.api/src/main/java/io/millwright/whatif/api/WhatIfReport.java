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
 */
public record WhatIfReport(String asset, long timeMs, long twinTimeMs, double horizonHours, String physics, String model, String featureSet,
        double startRulHours, long elapsedMs, List<ScenarioResult> results) {

    /** Copies the list. */
    public WhatIfReport {
        results = List.copyOf(results);
    }
}
