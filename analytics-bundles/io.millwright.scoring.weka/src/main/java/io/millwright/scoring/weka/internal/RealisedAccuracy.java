package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.ModelOutcomes.Outcome;
import io.millwright.analytics.api.ModelStatus;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One model version's answers judged after the fact. It keeps, per asset, what it answered since the asset's last
 * outcome (at most {@link #KEPT} windows: when full, every other one is dropped, so a long run is judged at a coarser
 * step the older it is); a failure turns them into known answers — the true remaining life of each
 * window is the failure's time minus the window's end, in the plant's hours — and a maintenance sets them aside.
 * Remaining-life models are judged on their error (below the training cap) and on urgency precision and recall by the
 * same policy; anomaly models on whether they were raised at the failure, and since when. Thread-safe.
 */
final class RealisedAccuracy {

    /** Answers kept per asset between outcomes. */
    static final int KEPT = 20_000;
    /** Failures before the realised accuracy may recommend retraining. */
    static final int MIN_FAILURES = 2;

    private record Answer(long endMicros, double result, Urgency urgency) {
    }

    private final ModelKind kind;
    private final UrgencyPolicy policy;
    private final double capHours;
    private final Map<String, ArrayDeque<Answer>> pending = new HashMap<>();
    private int failures;
    private int maintenances;
    private int windows;
    private int capped;
    private double absoluteError;
    private int calledCritical;
    private int trueCritical;
    private int bothCritical;
    private int calledWarning;
    private int trueWarning;
    private int bothWarning;
    private int detected;
    private final List<Double> leads = new ArrayList<>();

    /**
     * @param kind what the model answers
     * @param policy the urgency policy its remaining life is judged by
     * @param capHours the remaining life it was trained to (its training cap), 0 for none
     */
    RealisedAccuracy(ModelKind kind, UrgencyPolicy policy, double capHours) {
        this.kind = kind;
        this.policy = policy;
        this.capHours = capHours;
    }

    synchronized void record(String asset, long windowEndMicros, double result, Urgency urgency) {
        ArrayDeque<Answer> q = pending.computeIfAbsent(asset, a -> new ArrayDeque<>());
        q.addLast(new Answer(windowEndMicros, result, urgency));
        if (q.size() > KEPT) {
            // full: every other answer goes, so the whole time since the last outcome stays covered, at a coarser step the
            // older it is (the days before a failure, which decide CRITICAL and WARNING, stay the finest)
            int i = 0;
            for (java.util.Iterator<Answer> it = q.iterator(); it.hasNext(); i++) {
                Answer a = it.next();
                if (i % 2 == 1) {
                    it.remove();
                }
            }
        }
    }

    /**
     * @param asset the asset
     * @param atMicros when, in source time
     * @param outcome what happened
     * @param plantSecondsPerSecond the plant's time scale (1 on a real plant)
     * @return empty, or why retraining is recommended after this failure
     */
    synchronized String outcome(String asset, long atMicros, Outcome outcome, double plantSecondsPerSecond) {
        ArrayDeque<Answer> q = pending.get(asset);
        List<Answer> before = new ArrayList<>();
        while (q != null && !q.isEmpty() && q.peekFirst().endMicros() <= atMicros) {
            before.add(q.removeFirst());
        }
        if (outcome == Outcome.MAINTENANCE) {
            maintenances++;
            return "";
        }
        if (before.isEmpty()) {
            return ""; // nothing scored before it: nothing to judge (scores start after the gateway did)
        }
        failures++;
        double hoursPerMicro = plantSecondsPerSecond / 1e6 / 3600;
        if (kind == ModelKind.ANOMALY) {
            Answer last = before.get(before.size() - 1);
            if (last.urgency() != Urgency.NORMAL) {
                detected++;
                int first = before.size() - 1;
                while (first > 0 && before.get(first - 1).urgency() != Urgency.NORMAL) {
                    first--;
                }
                leads.add((atMicros - before.get(first).endMicros()) * hoursPerMicro);
            }
            return "";
        }
        if (kind != ModelKind.REMAINING_USEFUL_LIFE) {
            return "";
        }
        for (Answer a : before) {
            double truth = (atMicros - a.endMicros()) * hoursPerMicro;
            Urgency real = policy.of(java.time.Duration.ofSeconds((long) (truth * 3600)));
            windows++;
            if (capHours <= 0 || truth < capHours) {
                capped++;
                absoluteError += Math.abs(Math.min(a.result(), capHours > 0 ? capHours : Double.MAX_VALUE) - truth);
            }
            boolean calledC = a.urgency() == Urgency.CRITICAL;
            boolean realC = real == Urgency.CRITICAL;
            boolean calledW = a.urgency() != Urgency.NORMAL;
            boolean realW = real != Urgency.NORMAL;
            calledCritical += calledC ? 1 : 0;
            trueCritical += realC ? 1 : 0;
            bothCritical += calledC && realC ? 1 : 0;
            calledWarning += calledW ? 1 : 0;
            trueWarning += realW ? 1 : 0;
            bothWarning += calledW && realW ? 1 : 0;
        }
        double recall = ratio(bothCritical, trueCritical);
        if (failures >= MIN_FAILURES && recall < 0.5) {
            return String.format(Locale.ROOT, "retraining recommended: realised accuracy after %d failures — CRITICAL called in %.0f %% of the %d windows"
                    + " truly within %s of a failure", failures, 100 * recall, trueCritical, policy.critical());
        }
        return "";
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? Double.NaN : part / (double) whole;
    }

    synchronized ModelStatus.Accuracy snapshot() {
        if (failures == 0 && maintenances == 0) {
            return ModelStatus.Accuracy.NONE;
        }
        double median = Double.NaN;
        if (!leads.isEmpty()) {
            List<Double> sorted = new ArrayList<>(leads);
            sorted.sort(null);
            int n = sorted.size();
            median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
        return new ModelStatus.Accuracy(failures, maintenances, windows, capped == 0 ? Double.NaN : absoluteError / capped, ratio(bothCritical,
                calledCritical), ratio(bothCritical, trueCritical), ratio(bothWarning, calledWarning), ratio(bothWarning, trueWarning), detected, median);
    }
}
