package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.Mahalanobis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo pump's anomaly model ({@code pump-anomaly}, feature set {@code pump-bearing@1}), trained on healthy runs of
 * the simulated plant only — a pump whose bearing never fails, each run at a constant speed of 85–110 % of nominal — and
 * then evaluated on runs it never saw: held-out bearing lives to their trip (how long before the trip the alarm fires
 * and stays on) and held-out healthy runs (false alarms per asset-week).
 *
 * <pre>
 * millwright-train sim-anomaly &lt;output folder&gt; [--runs N] [--weeks W] [--eval-lives N] [--false-alarms-per-week X] [--seed S] [--version V]
 * </pre>
 */
final class SimAnomaly {

    static final String MODEL_ID = "pump-anomaly";

    private SimAnomaly() {
    }

    /** The command's options. */
    record Spec(int runs, double weeks, int evalLives, double targetPerWeek, int seed, String version, boolean quiet) {

        static Spec parse(List<String> args) {
            int runs = 30;
            double weeks = 6;
            int evalLives = 20;
            double target = 0.1;
            int seed = 1;
            String version = "1.0.0";
            boolean quiet = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--runs" -> runs = (int) JournalTraining.number(JournalTraining.value(args, ++i, a), a, 2, 10_000);
                    case "--weeks" -> weeks = JournalTraining.number(JournalTraining.value(args, ++i, a), a, 0.5, 1000);
                    case "--eval-lives" -> evalLives = (int) JournalTraining.number(JournalTraining.value(args, ++i, a), a, 0, 10_000);
                    case "--false-alarms-per-week" -> target = JournalTraining.number(JournalTraining.value(args, ++i, a), a, 1e-6, 100);
                    case "--seed" -> seed = (int) JournalTraining.number(JournalTraining.value(args, ++i, a), a, 0, Integer.MAX_VALUE);
                    case "--version" -> version = JournalTraining.value(args, ++i, a);
                    case "--quiet" -> quiet = true;
                    default -> throw new IllegalArgumentException("unknown option " + a + " (sim-anomaly takes --runs, --weeks, --eval-lives, "
                            + "--false-alarms-per-week, --seed, --version, --quiet)");
                }
            }
            return new Spec(runs, weeks, evalLives, target, seed, version, quiet);
        }
    }

    /**
     * What the evaluation measured.
     *
     * @param lives held-out bearing lives
     * @param detected lives in which the alarm was on at the trip
     * @param leadHours per detected life: plant hours from the start of the alarm episode that lasted into the trip to the trip
     * @param criticalLeadHours the same for CRITICAL
     * @param healthyWeeks held-out healthy asset-weeks
     * @param falseAlarms alarm episodes in them
     */
    record Evaluation(int lives, int detected, double[] leadHours, double[] criticalLeadHours, double healthyWeeks, int falseAlarms) {

        double falseAlarmsPerWeek() {
            return falseAlarms / healthyWeeks;
        }

        String describe() {
            return String.format(Locale.ROOT, "held-out: the alarm was on at the trip in %d of %d bearing lives, fired %s plant h before it "
                    + "(median; min %s, max %s), CRITICAL %s h before (median); %d false alarms in %.1f healthy asset-weeks = %.3f per asset-week",
                    detected, lives, fmt(median(leadHours)), fmt(min(leadHours)), fmt(max(leadHours)), fmt(median(criticalLeadHours)), falseAlarms,
                    healthyWeeks, falseAlarmsPerWeek());
        }
    }

    static Path run(Path out, List<String> args) throws Exception {
        Spec spec = Spec.parse(args);
        Progress progress = new Progress(spec.quiet());
        FeatureSetDefinition set = SimBearing.featureSet();
        FeatureExtractor extractor = new FeatureExtractor(set);
        double hopHours = set.hopMicros() / 1e6 * SimBearing.ACCELERATION / 3600;
        List<List<double[]>> runs = healthyRuns(spec.runs(), spec.weeks(), spec.seed() * 1_000_003L, extractor);
        progress.step(String.format(Locale.ROOT, "%d healthy runs of %.1f plant weeks, %d windows (one every %.0f plant h)", runs.size(), spec.weeks(),
                runs.stream().mapToInt(List::size).sum(), hopHours));
        AnomalyTraining.Calibration calibration = AnomalyTraining.calibrate(runs, hopHours, spec.targetPerWeek(), 5);
        progress.step(calibration.describe());
        Map<String, String> metrics = new LinkedHashMap<>();
        String summary = "calibrated " + calibration.describe();
        if (spec.evalLives() > 0) {
            List<double[]> all = new ArrayList<>();
            runs.forEach(all::addAll);
            Evaluation e = evaluate(Mahalanobis.fit(all, AnomalyTraining.SHRINKAGE), calibration, spec.evalLives(), spec.runs(), spec.weeks(),
                    spec.seed() * 7_000_003L + 17, extractor, hopHours);
            progress.step(e.describe());
            summary += "; " + e.describe();
            metrics.put("evaluationLives", Integer.toString(e.lives()));
            metrics.put("livesAlarmedAtTrip", Integer.toString(e.detected()));
            metrics.put("leadTimeHoursMedian", fmt(median(e.leadHours())));
            metrics.put("leadTimeHoursMin", fmt(min(e.leadHours())));
            metrics.put("criticalLeadTimeHoursMedian", fmt(median(e.criticalLeadHours())));
            metrics.put("healthyWeeksEvaluated", String.format(Locale.ROOT, "%.1f", e.healthyWeeks()));
            metrics.put("falseAlarmsPerAssetWeek", String.format(Locale.ROOT, "%.3f", e.falseAlarmsPerWeek()));
        }
        Path pkg = AnomalyTraining.fitAndPackage(runs, calibration, set, MODEL_ID, out, spec.version(), metrics, new ModelPackage.Card(
                "Anomaly score of a centrifugal pump (class pump): how far a 20 s window of vibration, bearing temperature, speed and current "
                        + "(feature set " + set.id() + ") lies from the pump's healthy behaviour, as a Mahalanobis distance; WARNING at or above "
                        + fmt(calibration.warning()) + " (calibrated to " + spec.targetPerWeek() + " false alarms per asset-week), CRITICAL at or above "
                        + fmt(calibration.critical()) + ". Catches what the RUL model was not trained for; it says something is unlike normal, "
                        + "not what",
                "Millwright's simulated plant: " + spec.runs() + " healthy runs of " + spec.weeks() + " plant weeks, a bearing that never fails, "
                        + "each at a constant speed of 85-110 % of nominal, 25 C ambient; no failure data used",
                "Normal is what the healthy runs held: a speed outside 85-110 % of nominal, another ambient temperature or a changed duty reads "
                        + "as anomalous until it is retrained on the plant's own healthy journal (millwright-train anomaly); trained on simulated "
                        + "physics, not a real pump"), progress);
        System.out.println(summary);
        return pkg;
    }

    static List<List<double[]>> healthyRuns(int count, double weeks, long seed, FeatureExtractor extractor) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<double[]>> runs = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            runs.add(SimBearing.healthyRun(seed + r, 0.85 + 0.25 * random.nextDouble(), weeks, extractor));
        }
        return runs;
    }

    /**
     * Runs held-out bearing lives and healthy runs (other seeds than training's) through the model.
     *
     * @return what it measured
     */
    static Evaluation evaluate(Mahalanobis model, AnomalyTraining.Calibration calibration, int lives, int healthyRuns, double weeks, long seed,
            FeatureExtractor extractor, double hopHours) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> lead = new ArrayList<>();
        List<Double> criticalLead = new ArrayList<>();
        for (int l = 0; l < lives; l++) {
            SimBearing.Life life = SimBearing.life(seed + 100_000 + l, 0.85 + 0.25 * random.nextDouble(), extractor);
            double[] d = life.features().stream().mapToDouble(model::distance).toArray();
            double[] hoursLeft = life.hoursLeft().stream().mapToDouble(Double::doubleValue).toArray();
            double w = leadHours(d, life, calibration.warning(), hopHours);
            if (!Double.isNaN(w)) {
                lead.add(w);
            }
            double c = leadHours(d, life, calibration.critical(), hopHours);
            if (!Double.isNaN(c)) {
                criticalLead.add(c);
            }
            if (hoursLeft.length == 0) {
                throw new IllegalStateException("a simulated life without windows");
            }
        }
        List<double[]> healthy = new ArrayList<>();
        int windows = 0;
        for (List<double[]> run : healthyRuns(healthyRuns, weeks, seed + 200_000, extractor)) {
            healthy.add(run.stream().mapToDouble(model::distance).toArray());
            windows += run.size();
        }
        return new Evaluation(lives, lead.size(), lead.stream().mapToDouble(Double::doubleValue).toArray(),
                criticalLead.stream().mapToDouble(Double::doubleValue).toArray(), windows * hopHours / 168,
                AnomalyTraining.episodes(healthy, calibration.warning()));
    }

    /**
     * @return plant hours from the first window of the episode at or above the threshold that lasts to the life's last
     *     window, to the trip; NaN if the last window is below it. The life's true hours left are capped, so a longer
     *     lead is measured by counting windows back from the last one.
     */
    private static double leadHours(double[] distances, SimBearing.Life life, double threshold, double hopHours) {
        int last = distances.length - 1;
        if (last < 0 || distances[last] < threshold) {
            return Double.NaN;
        }
        int first = last;
        while (first > 0 && distances[first - 1] >= threshold) {
            first--;
        }
        return life.hoursLeft().get(last) + (last - first) * hopHours;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
