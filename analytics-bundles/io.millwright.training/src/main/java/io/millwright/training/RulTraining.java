package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import weka.classifiers.Classifier;
import weka.core.Instances;

/**
 * Remaining useful life in hours, the part every RUL command shares once it has its table: cross-validation grouped
 * by unit, RMSE overall and below the cap, how often the predicted urgency (CRITICAL &lt; 48 h, WARNING &lt; 1 week)
 * matches the true one, the final model on everything, the model package.
 */
final class RulTraining {

    private RulTraining() {
    }

    /** @return {agreement, CRITICAL recall, CRITICAL windows predicted NORMAL} over the windows */
    static double[] urgencyFigures(double[] truthHours, double[] predictedHours) {
        UrgencyPolicy policy = UrgencyPolicy.DEFAULT;
        int agree = 0;
        int critical = 0;
        int criticalFound = 0;
        int criticalMissed = 0;
        for (int i = 0; i < truthHours.length; i++) {
            Urgency t = policy.of(Duration.ofSeconds((long) (truthHours[i] * 3600)));
            Urgency p = policy.of(Duration.ofSeconds((long) (Math.max(0, predictedHours[i]) * 3600)));
            agree += t == p ? 1 : 0;
            if (t == Urgency.CRITICAL) {
                critical++;
                criticalFound += p == Urgency.CRITICAL ? 1 : 0;
                criticalMissed += p == Urgency.NORMAL ? 1 : 0;
            }
        }
        return new double[] {agree / (double) truthHours.length, critical == 0 ? Double.NaN : criticalFound / (double) critical, criticalMissed};
    }

    /**
     * @param rows labels in hours, groups = units (lives, machines) that cross-validation never splits
     * @param set the feature set the rows were computed with
     * @param capHours the cap applied to the labels (for the report), or 0 for none
     * @param what what was trained on, for the report
     * @param unit what a group is, for the report
     * @param modelId the package's model id
     * @param out output folder
     * @param o options
     * @param progress progress lines
     * @param card what the model is for and where not to trust it (the training data's size is added)
     * @return the package written
     */
    static Path crossValidateAndPackage(LabelledRows rows, FeatureSetDefinition set, double capHours, String what, String unit, String modelId, Path out,
            Options o, Progress progress, ModelPackage.Card card) throws Exception {
        int[] fold = GroupedCrossValidation.assign(rows, o.folds(), o.seed());
        double[] predicted = GroupedCrossValidation.predictions(rows, fold, o.folds(),
                () -> Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), false), set.id(), progress);
        double rmse = Metrics.rmse(rows.labels(), predicted);
        List<Integer> below = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (capHours <= 0 || rows.labels()[i] < capHours) {
                below.add(i);
            }
        }
        double[] tb = below.stream().mapToDouble(i -> rows.labels()[i]).toArray();
        double[] pb = below.stream().mapToDouble(i -> predicted[i]).toArray();
        double rmseBelow = tb.length == 0 ? Double.NaN : Metrics.rmse(tb, pb);
        double[] urgency = urgencyFigures(rows.labels(), predicted);
        String summary = String.format(Locale.ROOT,
                "%s, %d-fold CV grouped by %s, %s: RMSE %.1f h over all %d windows%s; urgency right in %.1f %% of windows, CRITICAL found in %.1f %%, "
                        + "%d CRITICAL windows called NORMAL",
                what, o.folds(), unit, o.describe(), rmse, rows.size(),
                capHours > 0 ? String.format(Locale.ROOT, " (true RUL capped at %.0f h), %.1f h over the %d windows with RUL < %.0f h", capHours, rmseBelow,
                        tb.length, capHours) : "",
                100 * urgency[0], 100 * urgency[1], (int) urgency[2]);
        progress.step(summary);

        Instances all = WekaTables.of(rows, set.id(), null);
        Classifier model = Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), false);
        model.buildClassifier(all);
        progress.step("final model trained on all " + rows.size() + " windows");
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("cv", o.folds() + "-fold grouped by " + unit);
        metrics.put("rmseHours", String.format(Locale.ROOT, "%.2f", rmse));
        if (capHours > 0) {
            metrics.put("capHours", String.format(Locale.ROOT, "%.0f", capHours));
            metrics.put("rmseHoursBelowCap", String.format(Locale.ROOT, "%.2f", rmseBelow));
        }
        metrics.put("urgencyAgreement", String.format(Locale.ROOT, "%.4f", urgency[0]));
        metrics.put("criticalRecall", String.format(Locale.ROOT, "%.4f", urgency[1]));
        metrics.put("trainingRows", Integer.toString(rows.size()));
        Path pkg = ModelPackage.write(out, modelId, o.version(), ModelKind.REMAINING_USEFUL_LIFE, set, o.describe(), model, all, metrics,
                new ModelPackage.Card(card.intendedUse(), card.trainingData() + "; " + rows.size() + " windows", card.limitations()));
        progress.step("model package " + pkg);
        System.out.println(summary);
        return pkg;
    }
}
