package io.millwright.optimizer.internal;

import io.millwright.optimizer.api.Envelope;
import io.millwright.optimizer.api.OptimizerStatus.Candidate;
import io.millwright.optimizer.api.OptimizerStatus.Decision;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import io.millwright.whatif.api.WhatIfReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One decision of the bounded closed loop, pure: candidate setpoints around the current value within the envelope and
 * the step allowed now, a what-if over them (the current value is the what-if's baseline), and the objective — the most
 * output whose projected remaining life stays at or above the target; when no candidate meets the target, the one that
 * lasts longest. Ties go to the smaller change. Public for the load driver in benchmarks/ (the package is not exported).
 */
public final class Planner {

    /**
     * A decision with what it was projected from, kept to compare with what is then observed.
     *
     * @param decision the decision
     * @param chosen the chosen candidate's projection
     * @param model the scoring model of the what-if ({@code id@version}), empty without one
     * @param plantSecondsPerSecond from the what-if: plant seconds per second of the clock
     */
    public record Plan(Decision decision, ScenarioResult chosen, String model, double plantSecondsPerSecond) {
    }

    private Planner() {
    }

    /**
     * @param current the tag's value now
     * @param e the envelope
     * @param step the largest change allowed now (the envelope's hourly budget left, the policy's max step)
     * @return the values to try besides the current one: a value outside the envelope moves toward it by at most the step;
     *     inside, ± the step and ± half of it, clipped to the envelope
     */
    public static List<Double> candidates(double current, Envelope e, double step) {
        List<Double> out = new ArrayList<>();
        double grain = grain(e);
        if (current < e.min() || current > e.max()) {
            double target = Math.max(e.min(), Math.min(e.max(), current));
            double moved = current + Math.signum(target - current) * Math.min(step, Math.abs(target - current));
            if (step > 0) {
                out.add(Math.round(moved / grain) * grain);
            }
            return out;
        }
        if (!(step >= grain)) {
            return out;
        }
        for (double d : new double[] {-step, -step / 2, step / 2, step}) {
            // whole grains toward the current value, so no candidate exceeds the step
            double rounded = Math.signum(d) * Math.floor(Math.abs(d) / grain) * grain;
            double v = Math.max(e.min(), Math.min(e.max(), current + rounded));
            if (Math.abs(v - current) > 1e-9 && out.stream().noneMatch(x -> Math.abs(x - v) < 1e-9)) {
                out.add(v);
            }
        }
        return out;
    }

    /** @return the candidates' resolution: a power of ten, about a hundredth of the envelope's range (1 rpm for 1100-1750) */
    static double grain(Envelope e) {
        return Math.pow(10, Math.floor(Math.log10((e.max() - e.min()) / 100)));
    }

    /**
     * @param current the tag's value now
     * @param e the envelope
     * @param step the largest change allowed now
     * @param whatIf runs scenarios from the twin (the baseline, the current value, first)
     * @param nowMs the time
     * @return the decision
     */
    public static Plan plan(double current, Envelope e, double step, Function<List<Scenario>, WhatIfReport> whatIf, long nowMs) {
        List<Double> values = candidates(current, e, step);
        List<Scenario> scenarios = new ArrayList<>();
        for (double v : values) {
            scenarios.add(new Scenario(String.format(Locale.ROOT, "setpoint %.6g", v), Map.of(e.tag(), v), Double.NaN, 1));
        }
        WhatIfReport report = whatIf.apply(scenarios);
        List<ScenarioResult> results = report.results();
        boolean currentAllowed = current >= e.min() && current <= e.max();
        List<Candidate> candidates = new ArrayList<>();
        int best = -1;
        for (int i = 0; i < results.size(); i++) {
            ScenarioResult r = results.get(i);
            double value = i == 0 ? current : values.get(i - 1);
            double life = life(r);
            boolean feasible = life >= e.rulTargetHours();
            candidates.add(new Candidate(value, life, r.output(), r.energyKwh(), feasible));
            if (i == 0 && !currentAllowed) {
                continue;
            }
            if (best < 0 || better(candidates.get(i), candidates.get(best), current)) {
                best = i;
            }
        }
        Candidate c = candidates.get(best);
        ScenarioResult chosen = results.get(best);
        String why = why(c, candidates, e, current, currentAllowed, chosen.unit());
        Decision d = new Decision(nowMs, current, c.value(), why, c.projectedRulHours(), c.output(), chosen.unit(), "", "", candidates);
        return new Plan(d, chosen, report.model(), report.plantSecondsPerSecond());
    }

    /**
     * @param r a projection
     * @return its remaining life: the projection's own, or — no trip within the horizon and no model to say more —
     *     infinite (it outlives the horizon, which is the target)
     */
    static double life(ScenarioResult r) {
        if (Double.isFinite(r.projectedRulHours())) {
            return r.projectedRulHours();
        }
        return Double.isNaN(r.tripAfterHours()) ? Double.POSITIVE_INFINITY : r.tripAfterHours();
    }

    private static boolean better(Candidate a, Candidate b, double current) {
        if (a.feasible() != b.feasible()) {
            return a.feasible();
        }
        double x = a.feasible() ? a.output() : a.projectedRulHours();
        double y = b.feasible() ? b.output() : b.projectedRulHours();
        double scale = Math.max(Math.abs(x), Math.abs(y));
        if (Math.abs(x - y) > 1e-9 * scale && !(Double.isInfinite(x) && Double.isInfinite(y))) {
            return x > y;
        }
        return Math.abs(a.value() - current) < Math.abs(b.value() - current);
    }

    private static String why(Candidate c, List<Candidate> all, Envelope e, double current, boolean currentAllowed, String unit) {
        String life = Double.isInfinite(c.projectedRulHours()) ? "beyond " + num(e.rulTargetHours()) + " h" : num(c.projectedRulHours()) + " h";
        String keep = Math.abs(c.value() - current) < 1e-9 ? "keep " + num(current) : num(current) + " → " + num(c.value());
        if (!currentAllowed) {
            return keep + ": toward the envelope " + num(e.min()) + "–" + num(e.max()) + " (projected life " + life + ")";
        }
        if (c.feasible()) {
            return keep + ": the most output (" + num(c.output()) + " " + unit + " over " + num(e.rulTargetHours()) + " h) of "
                    + all.size() + " candidates with projected life ≥ " + num(e.rulTargetHours()) + " h (" + life + ")";
        }
        return keep + ": no candidate keeps the projected life ≥ " + num(e.rulTargetHours()) + " h; this one lasts longest (" + life + ")";
    }

    static String num(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
