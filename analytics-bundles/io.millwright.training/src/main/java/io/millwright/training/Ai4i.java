package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.ModelKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import weka.classifiers.Classifier;
import weka.classifiers.Evaluation;
import weka.core.Instances;

/**
 * AI4I 2020 machine-failure classifier with physics-informed features: mechanical power (torque × angular speed),
 * the air–process temperature difference, and tool wear × torque (overstrain) with its ratio to the limit of the
 * product type. Stratified 10-fold cross-validation (Weka's), precision, recall and F1 of the failure class.
 */
final class Ai4i {

    private Ai4i() {
    }

    static FeatureSetDefinition featureSet() {
        return new FeatureSetDefinition("ai4i-machine", 1, 1_000_000L, 1_000_000L,
                List.of("type.mean", "air_temp.mean", "process_temp.mean", "speed.mean", "torque.mean", "tool_wear.max", "power.mean",
                        "temp_diff.mean", "strain.mean", "strain_ratio.mean"));
    }

    /** Overstrain limits (tool wear × torque, min·Nm) by product type L, M, H, as documented with the data. */
    private static final double[] STRAIN_LIMIT = {11_000, 12_000, 13_000};

    /**
     * The physics-informed features of one machine reading.
     *
     * @param type 0 = L, 1 = M, 2 = H
     * @return the vector in {@link #featureSet()} order
     */
    static double[] features(int type, double airK, double processK, double rpm, double torqueNm, double wearMin) {
        double power = torqueNm * rpm * 2 * Math.PI / 60;
        double strain = wearMin * torqueNm;
        return new double[] {type, airK, processK, rpm, torqueNm, wearMin, power, processK - airK, strain, strain / STRAIN_LIMIT[type]};
    }

    static LabelledRows read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(csv + " is empty");
        }
        String header = lines.get(0).replace("\uFEFF", "");
        List<String> columns = List.of(header.split(","));
        int type = index(csv, columns, "Type");
        int air = index(csv, columns, "Air temperature [K]");
        int process = index(csv, columns, "Process temperature [K]");
        int speed = index(csv, columns, "Rotational speed [rpm]");
        int torque = index(csv, columns, "Torque [Nm]");
        int wear = index(csv, columns, "Tool wear [min]");
        int failure = index(csv, columns, "Machine_failure");
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",");
            try {
                int t = switch (f[type]) {
                    case "L" -> 0;
                    case "M" -> 1;
                    case "H" -> 2;
                    default -> throw new IOException(csv + " line " + (i + 1) + ": Type '" + f[type] + "' is not L, M or H");
                };
                x.add(features(t, Double.parseDouble(f[air]), Double.parseDouble(f[process]), Double.parseDouble(f[speed]),
                        Double.parseDouble(f[torque]), Double.parseDouble(f[wear])));
                y.add(Double.parseDouble(f[failure]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(csv + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        int n = y.size();
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = i;
        }
        return new LabelledRows(featureSet().features(), x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray(), groups,
                List.of("ok", "failure"));
    }

    private static int index(Path csv, List<String> columns, String name) throws IOException {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IOException(csv + ": no column '" + name + "' (columns: " + columns + ")");
        }
        return i;
    }

    static void run(Path csv, Path out, Options o) throws Exception {
        Progress progress = new Progress(o.quiet());
        FeatureSetDefinition set = featureSet();
        LabelledRows rows = read(csv);
        long failures = java.util.Arrays.stream(rows.labels()).filter(v -> v == 1).count();
        progress.step("read " + rows.size() + " readings, " + failures + " failures; " + set.features().size() + " features of " + set.id());
        Instances all = WekaTables.of(rows, set.id(), null);
        Evaluation eval = new Evaluation(all);
        eval.crossValidateModel(Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), true), all, o.folds(), new Random(o.seed()));
        double precision = eval.precision(1);
        double recall = eval.recall(1);
        double f1 = eval.fMeasure(1);
        String summary = String.format(Locale.ROOT,
                "AI4I 2020, stratified %d-fold CV, %s: failure class precision %.3f, recall %.3f, F1 %.3f (%d failures in %d readings)", o.folds(),
                o.describe(), precision, recall, f1, failures, rows.size());
        progress.step(summary);
        Classifier model = Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), true);
        model.buildClassifier(all);
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("cv", "stratified " + o.folds() + "-fold");
        metrics.put("failurePrecision", String.format(Locale.ROOT, "%.4f", precision));
        metrics.put("failureRecall", String.format(Locale.ROOT, "%.4f", recall));
        metrics.put("failureF1", String.format(Locale.ROOT, "%.4f", f1));
        metrics.put("trainingRows", Integer.toString(rows.size()));
        Path pkg = ModelPackage.write(out, "ai4i-failure", o.version(), ModelKind.FAILURE_CLASSIFICATION, set, o.describe(), model, all, metrics,
                new ModelPackage.Card("Failure class of a milling machine from one window of process and tool readings (AI4I 2020's "
                        + "air and process temperature, speed, torque, tool wear); NORMAL unless a failure class is predicted",
                        "AI4I 2020 predictive maintenance data set (UCI): " + all.numInstances() + " synthetic rows of one machine type mix",
                        "A synthetic data set of one machine family: not transferable to other machines without retraining; rare failure "
                                + "classes (random failures) are barely learnt; each window is judged alone, no trend"));
        progress.step("model package " + pkg);
        System.out.println(summary);
    }
}
