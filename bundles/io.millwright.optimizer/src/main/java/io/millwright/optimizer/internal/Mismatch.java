package io.millwright.optimizer.internal;

import io.millwright.optimizer.api.Envelope;
import io.millwright.whatif.api.ScenarioResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares what the twin observes with what the last decision projected for now: the bearing temperature (within the
 * envelope's tolerance in °C) and the vibration RMS (within its share of the projection). The projection's plant hours
 * are mapped to the clock with the what-if's plant seconds per second. Pure.
 */
final class Mismatch {

    private Mismatch() {
    }

    /**
     * What the twin observes against what the last decision projected for now.
     *
     * @param text both figures and the elapsed plant time, for the status
     * @param mismatch what disagrees beyond the tolerance, empty if nothing does
     */
    record Comparison(String text, String mismatch) {
    }

    /**
     * @param plan the last decision
     * @param nowMs now
     * @param bearingTemperatureC the twin's bearing temperature, NaN if none
     * @param vibrationRms the twin's vibration RMS, NaN if none
     * @param e the tolerances
     * @return the comparison, empty if nothing can be compared
     */
    static Optional<Comparison> compare(Planner.Plan plan, long nowMs, double bearingTemperatureC, double vibrationRms, Envelope e) {
        List<ScenarioResult.Point> points = plan.chosen().trajectory();
        if (points.isEmpty()) {
            return Optional.empty();
        }
        double hours = Math.max(0, nowMs - plan.decision().timeMs()) / 1000.0 * plan.plantSecondsPerSecond() / 3600;
        double temp = at(points, hours, true);
        double vib = at(points, hours, false);
        String text = String.format(Locale.ROOT, "after %.1f plant h: bearing temperature %.1f °C observed, %.1f °C projected; vibration RMS "
                + "%.3g m/s² observed, %.3g m/s² projected", hours, bearingTemperatureC, temp, vibrationRms, vib);
        String mismatch = "";
        if (Double.isFinite(temp) && Double.isFinite(bearingTemperatureC) && Math.abs(bearingTemperatureC - temp) > e.temperatureToleranceC()) {
            mismatch = String.format(Locale.ROOT, "bearing temperature observed %.1f °C, projected %.1f °C after %.1f plant h "
                    + "(tolerance %.1f °C)", bearingTemperatureC, temp, hours, e.temperatureToleranceC());
        } else if (Double.isFinite(vib) && vib > 0 && Double.isFinite(vibrationRms) && Math.abs(vibrationRms - vib) > e.vibrationTolerance() * vib) {
            mismatch = String.format(Locale.ROOT, "vibration RMS observed %.3g m/s², projected %.3g m/s² after %.1f plant h "
                    + "(tolerance %.0f %%)", vibrationRms, vib, hours, 100 * e.vibrationTolerance());
        }
        return Optional.of(new Comparison(text, mismatch));
    }

    /** @return what disagrees beyond the tolerance, empty if nothing does (or nothing can be compared) */
    static Optional<String> check(Planner.Plan plan, long nowMs, double bearingTemperatureC, double vibrationRms, Envelope e) {
        return compare(plan, nowMs, bearingTemperatureC, vibrationRms, e).map(Comparison::mismatch).filter(m -> !m.isEmpty());
    }

    /** Linear between the points around {@code hours}; the first or last point outside them. */
    static double at(List<ScenarioResult.Point> points, double hours, boolean temperature) {
        ScenarioResult.Point prev = null;
        for (ScenarioResult.Point p : points) {
            if (p.hours() >= hours) {
                if (prev == null) {
                    return value(p, temperature);
                }
                double f = (hours - prev.hours()) / (p.hours() - prev.hours());
                return value(prev, temperature) + f * (value(p, temperature) - value(prev, temperature));
            }
            prev = p;
        }
        return value(points.get(points.size() - 1), temperature);
    }

    private static double value(ScenarioResult.Point p, boolean temperature) {
        return temperature ? p.bearingTemperatureC() : p.vibrationRms();
    }
}
