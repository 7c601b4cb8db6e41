package io.millwright.whatif.api;

import java.util.List;
import java.util.Map;

/**
 * What one scenario projects over the horizon. Quantities in plant time; NaN where unknown.
 *
 * @param scenario the scenario's name
 * @param setpoints the setpoints it tried
 * @param dutyCycle its duty cycle
 * @param projectedRulHours remaining useful life from now: the trip's time if the physics trips within the horizon,
 *        otherwise the horizon plus the model's remaining life at its end
 * @param urgency of the projected life (CRITICAL &lt; 48 h, WARNING &lt; 1 week, NORMAL)
 * @param modelRulAtEndHours the deployed model's answer for the last window (NaN without a model)
 * @param tripAfterHours when the physics trips, NaN if not within the horizon
 * @param output units produced over the horizon
 * @param unit their unit
 * @param energyKwh energy over the horizon
 * @param energyPerUnit kWh per unit
 * @param meanVibrationRms mean vibration RMS, m/s²
 * @param maxBearingTemperatureC highest bearing temperature
 * @param rejectShare quality proxy: rejected / produced
 * @param energyCost energy × price (NaN without a cost model)
 * @param failureCost a trip within the horizon: unplanned repair plus its downtime (NaN without a cost model)
 * @param costDelta (energy cost + failure cost) minus the baseline's; negative saves money
 * @param outputDelta output minus the baseline's
 * @param trajectory the model's answer per window: hours from now → RUL hours, vibration RMS, bearing temperature
 */
public record ScenarioResult(String scenario, Map<String, Double> setpoints, double dutyCycle, double projectedRulHours, String urgency,
        double modelRulAtEndHours, double tripAfterHours, double output, String unit, double energyKwh, double energyPerUnit,
        double meanVibrationRms, double maxBearingTemperatureC, double rejectShare, double energyCost, double failureCost, double costDelta,
        double outputDelta, List<Point> trajectory) {

    /** Copies the collections. */
    public ScenarioResult {
        setpoints = Map.copyOf(setpoints);
        trajectory = List.copyOf(trajectory);
    }

    /**
     * One window of the projection.
     *
     * @param hours plant hours from now
     * @param rulHours the model's answer (NaN without a model)
     * @param vibrationRms vibration RMS
     * @param bearingTemperatureC bearing temperature
     */
    public record Point(double hours, double rulHours, double vibrationRms, double bearingTemperatureC) {
    }
}
