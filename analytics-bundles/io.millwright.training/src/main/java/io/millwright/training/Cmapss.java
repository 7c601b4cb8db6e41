package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.WindowRange;
import io.millwright.features.ChannelWindow;
import io.millwright.features.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import weka.classifiers.Classifier;
import weka.core.Instances;

/**
 * NASA C-MAPSS FD001 remaining useful life: features of a trailing window of cycles per engine (one cycle is taken
 * as one hour of operation), the true RUL capped at 125 cycles (piecewise-linear target), a random forest by
 * default, 5-fold cross-validation grouped by engine, then a model on all engines that predicts the last cycle of
 * each engine in {@code test_FD001.txt}.
 */
final class Cmapss {

    /** The sensors that vary in FD001 (1, 5, 6, 10, 16, 18 and 19 are constant). */
    static final int[] SENSORS = {2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21};
    static final int WINDOW = 30;
    static final double CAP = 125;
    private static final long HOUR = 3_600_000_000L;

    private Cmapss() {
    }

    /** One engine's record: cycles and sensor values per cycle. */
    record Engine(int unit, int[] cycles, double[][] sensors) {
    }

    static FeatureSetDefinition featureSet() {
        List<String> features = new ArrayList<>();
        for (int s : SENSORS) {
            features.add("s" + s + ".mean");
            features.add("s" + s + ".slope");
        }
        features.add("cycle.max");
        return new FeatureSetDefinition("cmapss-fd001", 1, WINDOW * HOUR, HOUR, features);
    }

    static List<Engine> read(Path file) throws IOException {
        Map<Integer, List<double[]>> byUnit = new LinkedHashMap<>();
        int line = 0;
        for (String l : Files.readAllLines(file)) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            String[] f = l.trim().split("\\s+");
            if (f.length < 26) {
                throw new IOException(file + " line " + line + ": " + f.length + " columns, expected 26 (unit, cycle, 3 settings, 21 sensors)");
            }
            double[] row = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                try {
                    row[i] = Double.parseDouble(f[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + line + " column " + (i + 1) + ": '" + f[i] + "' is not a number");
                }
            }
            byUnit.computeIfAbsent((int) row[0], u -> new ArrayList<>()).add(row);
        }
        List<Engine> engines = new ArrayList<>();
        byUnit.forEach((unit, rows) -> {
            int[] cycles = rows.stream().mapToInt(r -> (int) r[1]).toArray();
            double[][] sensors = new double[22][rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                for (int s = 1; s <= 21; s++) {
                    sensors[s][k] = rows.get(k)[4 + s];
                }
            }
            engines.add(new Engine(unit, cycles, sensors));
        });
        return engines;
    }

    /** The features at cycle index {@code k} of an engine: the trailing window of up to {@link #WINDOW} cycles. */
    static FeatureVector features(FeatureExtractor extractor, Engine e, int k) {
        int from = Math.max(0, k - WINDOW + 1);
        int n = k - from + 1;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = e.cycles()[from + i] * HOUR;
        }
        Map<String, ChannelWindow> channels = new HashMap<>();
        for (int s : SENSORS) {
            double[] v = new double[n];
            System.arraycopy(e.sensors()[s], from, v, 0, n);
            channels.put("s" + s, new ChannelWindow(times, v, List.of()));
        }
        double[] cycle = new double[n];
        for (int i = 0; i < n; i++) {
            cycle[i] = e.cycles()[from + i];
        }
        channels.put("cycle", new ChannelWindow(times, cycle, List.of()));
        return extractor.extract("engine-" + e.unit(), new WindowRange(from, k + 1, times[0], times[n - 1] + HOUR), channels);
    }

    static LabelledRows table(List<Engine> engines, FeatureExtractor extractor) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Integer> g = new ArrayList<>();
        for (Engine e : engines) {
            int last = e.cycles()[e.cycles().length - 1];
            for (int k = 0; k < e.cycles().length; k++) {
                x.add(features(extractor, e, k).values());
                y.add(Math.min(CAP, last - e.cycles()[k]));
                g.add(e.unit());
            }
        }
        return new LabelledRows(extractor.featureSet().features(), x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray(),
                g.stream().mapToInt(Integer::intValue).toArray(), List.of());
    }

    static void run(Path dir, Path out, Options o) throws Exception {
        Progress progress = new Progress(o.quiet());
        FeatureSetDefinition set = featureSet();
        FeatureExtractor extractor = new FeatureExtractor(set);
        List<Engine> train = read(dir.resolve("train_FD001.txt"));
        LabelledRows rows = table(train, extractor);
        progress.step("read " + train.size() + " engines, " + rows.size() + " cycles; " + set.features().size() + " features of " + set.id());

        int[] fold = GroupedCrossValidation.assign(rows, o.folds(), o.seed());
        double[] predicted = GroupedCrossValidation.predictions(rows, fold, o.folds(),
                () -> Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), false), set.id(), progress);
        double rmseAll = Metrics.rmse(rows.labels(), predicted);
        // one cut point per engine, as the test set is made: the true RUL drawn from 7..145 cycles
        Random r = new Random(o.seed());
        List<Double> cutTruth = new ArrayList<>();
        List<Double> cutPredicted = new ArrayList<>();
        int row = 0;
        for (Engine e : train) {
            int life = e.cycles().length;
            int maxRul = Math.min(145, life - WINDOW - 1);
            int rul = 7 + r.nextInt(Math.max(1, maxRul - 6));
            int k = life - 1 - rul;
            cutTruth.add(Math.min(CAP, rul));
            cutPredicted.add(predicted[row + k]);
            row += life;
        }
        double[] ct = cutTruth.stream().mapToDouble(Double::doubleValue).toArray();
        double[] cp = cutPredicted.stream().mapToDouble(Double::doubleValue).toArray();
        double rmseCut = Metrics.rmse(ct, cp);
        double phm = Metrics.phm08(ct, cp);
        String summary = String.format(Locale.ROOT,
                "C-MAPSS FD001, %d-fold CV grouped by engine, %s: RMSE %.2f over all %d cycles (true RUL capped at %.0f); "
                        + "at one cut point per engine (RUL 7..145, like the test set): RMSE %.2f, PHM08 score %.1f over %d engines",
                o.folds(), o.describe(), rmseAll, rows.size(), CAP, rmseCut, phm, ct.length);
        progress.step(summary);

        Instances all = WekaTables.of(rows, set.id(), null);
        Classifier model = Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), false);
        model.buildClassifier(all);
        progress.step("final model trained on all " + rows.size() + " cycles");

        Path testFile = dir.resolve("test_FD001.txt");
        if (Files.exists(testFile)) {
            StringBuilder lines = new StringBuilder();
            Instances header = new Instances(all, 0);
            for (Engine e : read(testFile)) {
                FeatureVector v = features(extractor, e, e.cycles().length - 1);
                lines.append(String.format(Locale.ROOT, "%.2f%n", model.classifyInstance(WekaTables.instance(header, v.values()))));
            }
            Path predictions = out.resolve("cmapss-fd001-test-predictions.txt");
            ModelPackage.writeText(predictions, lines.toString());
            progress.step("predicted RUL at the last cycle of each test engine, in engine order: " + predictions);
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("cv", o.folds() + "-fold grouped by engine");
        metrics.put("rmseAllCycles", String.format(Locale.ROOT, "%.3f", rmseAll));
        metrics.put("rmseCutPoints", String.format(Locale.ROOT, "%.3f", rmseCut));
        metrics.put("phm08CutPoints", String.format(Locale.ROOT, "%.1f", phm));
        metrics.put("trainingRows", Integer.toString(rows.size()));
        Path pkg = ModelPackage.write(out, "cmapss-fd001-rul", o.version(), ModelKind.REMAINING_USEFUL_LIFE, set, o.describe(), model, all,
                metrics, new ModelPackage.Card("Remaining useful life (cycles) of a turbofan engine from a window of its sensors, "
                        + "NASA C-MAPSS FD001 style: a benchmark of the training pipeline, not a plant asset",
                        "NASA C-MAPSS FD001 training engines: " + all.numInstances() + " windows, one operating condition, one fault mode "
                                + "(HPC degradation)",
                        "One operating condition and one fault mode: other conditions or faults are outside what it learnt; the "
                                + "true RUL is capped in training, so long lives read as the cap"));
        progress.step("model package " + pkg);
        System.out.println(summary);
    }
}
