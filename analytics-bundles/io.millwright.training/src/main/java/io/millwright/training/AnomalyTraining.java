package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.ModelKind;
import io.millwright.features.Mahalanobis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An anomaly model from healthy windows only: a {@link Mahalanobis} model of the features, its alarm threshold
 * calibrated to a target false-alarm rate. The calibration is out of sample: the healthy runs are split into folds, each
 * fold's distances are measured by a model fitted on the others, and the threshold is the lowest distance at which the
 * alarm episodes on those held-out runs (a run of consecutive windows at or above it counts once, as the alarm engine
 * counts an activation) stay at or below the target per asset-week. The model in the package is then fitted on every
 * healthy window. CRITICAL is {@link #CRITICAL_FACTOR} times the threshold: farther from normal than any healthy
 * window is expected to be, by a margin.
 */
final class AnomalyTraining {

    /** Share of the identity mixed into the healthy correlation matrix. */
    static final double SHRINKAGE = 0.05;
    /** CRITICAL at this multiple of the calibrated (WARNING) distance. */
    static final double CRITICAL_FACTOR = 2;

    private AnomalyTraining() {
    }

    /**
     * @param warning the calibrated distance: WARNING at or above it
     * @param critical CRITICAL at or above it
     * @param windows healthy windows calibrated on
     * @param weeks the asset-weeks they span
     * @param episodes alarm episodes at the threshold on the held-out healthy runs
     * @param targetPerWeek the target false alarms per asset-week
     * @param verifiable whether the data held enough weeks to see the target (1 episode in the span is above it otherwise)
     */
    record Calibration(double warning, double critical, int windows, double weeks, int episodes, double targetPerWeek, boolean verifiable) {

        String describe() {
            return String.format(Locale.ROOT, "threshold %.2f (CRITICAL %.2f): %d false alarms in %.1f held-out healthy asset-weeks (%.3f per week, target %.3f)%s",
                    warning, critical, episodes, weeks, episodes / weeks, targetPerWeek,
                    verifiable ? "" : " — too few healthy weeks to verify the target: the threshold is above every healthy window");
        }
    }

    /**
     * @param runs healthy runs, each its windows' features in time order
     * @param hopHours asset hours between window ends
     * @param targetPerWeek target false alarms per asset-week
     * @param folds calibration folds (runs are dealt round-robin)
     * @return the calibration
     */
    static Calibration calibrate(List<List<double[]>> runs, double hopHours, double targetPerWeek, int folds) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException(runs.size() + " healthy run(s): need at least 2 to calibrate out of sample");
        }
        int k = Math.min(folds, runs.size());
        List<double[]> distances = new ArrayList<>();
        int windows = 0;
        for (int f = 0; f < k; f++) {
            List<double[]> fit = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                if (r % k != f) {
                    fit.addAll(runs.get(r));
                }
            }
            Mahalanobis m = Mahalanobis.fit(fit, SHRINKAGE);
            for (int r = f; r < runs.size(); r += k) {
                double[] d = runs.get(r).stream().mapToDouble(m::distance).toArray();
                distances.add(d);
                windows += d.length;
            }
        }
        double weeks = windows * hopHours / 168;
        double allowed = targetPerWeek * weeks;
        double[] candidates = distances.stream().flatMapToDouble(Arrays::stream).sorted().distinct().toArray();
        double max = candidates[candidates.length - 1];
        double threshold = Math.nextUp(max);
        boolean verifiable = allowed >= 1;
        for (double c : candidates) {
            double t = Math.nextUp(c);
            if (episodes(distances, t) <= allowed) {
                threshold = t;
                break;
            }
        }
        return new Calibration(threshold, threshold * CRITICAL_FACTOR, windows, weeks, episodes(distances, threshold), targetPerWeek, verifiable);
    }

    /** @return alarm episodes: runs of consecutive windows at or above the threshold, counted once each */
    static int episodes(List<double[]> runs, double threshold) {
        int n = 0;
        for (double[] run : runs) {
            boolean on = false;
            for (double d : run) {
                boolean above = d >= threshold;
                if (above && !on) {
                    n++;
                }
                on = above;
            }
        }
        return n;
    }

    /**
     * Fits the final model on every healthy window and writes the package.
     *
     * @return the package written
     */
    static Path fitAndPackage(List<List<double[]>> runs, Calibration calibration, FeatureSetDefinition set, String modelId, Path out, String version,
            Map<String, String> moreMetrics, ModelPackage.Card card, Progress progress) throws Exception {
        List<double[]> all = new ArrayList<>();
        runs.forEach(all::addAll);
        Mahalanobis model = Mahalanobis.fit(all, SHRINKAGE);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("anomaly.warning", Double.toString(calibration.warning()));
        extra.put("anomaly.critical", Double.toString(calibration.critical()));
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("calibration", String.format(Locale.ROOT, "%d-fold by run, out of sample", Math.min(5, runs.size())));
        metrics.put("targetFalseAlarmsPerWeek", String.format(Locale.ROOT, "%.3f", calibration.targetPerWeek()));
        metrics.put("calibratedFalseAlarmsPerWeek", String.format(Locale.ROOT, "%.3f", calibration.episodes() / calibration.weeks()));
        metrics.put("calibrationWeeks", String.format(Locale.ROOT, "%.1f", calibration.weeks()));
        metrics.put("trainingRows", Integer.toString(all.size()));
        metrics.putAll(moreMetrics);
        Path pkg = ModelPackage.write(out, modelId, version, ModelKind.ANOMALY, set, String.format(Locale.ROOT, "Mahalanobis distance, shrinkage %.2f",
                SHRINKAGE), ModelPackage.MODEL_MAHALANOBIS, model.toText(), "millwright-mahalanobis 1", all.toArray(new double[0][]), extra, metrics,
                new ModelPackage.Card(card.intendedUse(), card.trainingData() + "; " + all.size() + " healthy windows", card.limitations()));
        progress.step("model package " + pkg);
        return pkg;
    }
}
