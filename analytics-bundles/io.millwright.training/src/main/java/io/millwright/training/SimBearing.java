package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.WindowAssembler;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import weka.classifiers.Classifier;
import weka.core.Instances;

/**
 * Remaining useful life of the simulated plant's pump bearing — the demo's reference model. Runs the simulated
 * plant's own physics ({@link SimulatedPlant}, the code the gateway's simulator device runs) offline through whole
 * lives, each from a new bearing to its trip at a constant speed drawn from 85–110 % of nominal, with the demo's
 * timing (one tick per second of gateway time, {@link #ACCELERATION} simulated seconds per tick, a vibration block
 * every fifth tick). The samples go through the same {@link WindowAssembler} and {@link FeatureExtractor} as in the
 * gateway. The target is the time to the trip in plant hours, capped at {@link #CAP_HOURS} (before the fault shows,
 * a bearing looks new). Cross-validation is grouped by life; the report gives the RMSE and how often the predicted
 * urgency (CRITICAL &lt; 48 h, WARNING &lt; 1 week) matches the true one.
 *
 * <p>The demo's defaults ({@code io.millwright.defaults}) configure the simulator and the streaming feature set
 * exactly so; change one, change the other.
 */
final class SimBearing {

    static final String ASSET = "pump-1";
    static final String MODEL_ID = "pump-bearing-rul";
    /** Simulated seconds per gateway second in the demo: 30 plant days of bearing life pass in 5 minutes. */
    static final double ACCELERATION = 8640;
    static final double LIFE_SECONDS = 30 * 86_400;
    static final int WAVEFORM_EVERY_TICKS = 5;
    static final double WAVEFORM_RATE_HZ = 4096;
    static final int WAVEFORM_POINTS = 4096;
    static final double CAP_HOURS = 336;
    private static final long SECOND = 1_000_000L;

    private SimBearing() {
    }

    /** The feature set the demo streams for {@code pump-1}; the defaults bundle configures the same. */
    static FeatureSetDefinition featureSet() {
        return new FeatureSetDefinition("pump-bearing", 1, 20 * SECOND, 5 * SECOND, List.of(
                "vibration.rms", "vibration.kurtosis", "vibration.crest", "vibration.band_70_110", "vibration.band_150_330",
                "bearing_temperature.mean", "speed.mean", "current.mean"));
    }

    /** One life's windows: features, and the true remaining life at each window's end. */
    record Life(List<double[]> features, List<Double> hoursLeft) {
    }

    /**
     * Runs one bearing life, new to trip, at a constant speed.
     *
     * @param seed the plant's seed
     * @param speedRatio speed / nominal
     * @param extractor the feature set's extractor
     * @return the windows that lie wholly before the trip
     */
    static Life life(long seed, double speedRatio, FeatureExtractor extractor) {
        SimulatedPlant plant = new SimulatedPlant(seed, ASSET, LIFE_SECONDS, 86_400);
        SimulatedAsset pump = plant.asset(ASSET).orElseThrow();
        pump.setpoint(pump.nominalSpeed() * speedRatio);
        List<FeatureVector> vectors = new ArrayList<>();
        WindowAssembler windows = new WindowAssembler(extractor.featureSet().windowMicros(), extractor.featureSet().hopMicros(),
                w -> vectors.add(extractor.extract(ASSET, w.range(), w.channels())));
        long t0 = 1_700_000_000L * SECOND;
        long tick = 0;
        long tripMicros = -1;
        while (tripMicros < 0) {
            if (tick > 100_000) {
                throw new IllegalStateException("the simulated bearing did not fail within 100000 ticks (speed ratio " + speedRatio + ")");
            }
            long t = t0 + tick * SECOND;
            boolean waveform = tick % WAVEFORM_EVERY_TICKS == 0;
            List<Sample> samples = plant.tick(ACCELERATION, t, waveform ? WAVEFORM_RATE_HZ : 0, WAVEFORM_POINTS);
            if (!pump.running()) {
                tripMicros = t;
                break;
            }
            for (Sample s : samples) {
                if (s.channel().asset().equals(ASSET) && extractor.tags().contains(s.channel().tag())) {
                    windows.accept(s.channel().tag(), t, s.value(), tick);
                }
            }
            tick++;
        }
        List<double[]> features = new ArrayList<>();
        List<Double> hours = new ArrayList<>();
        for (FeatureVector v : vectors) {
            long end = v.window().toMicros();
            if (end <= tripMicros) {
                features.add(v.values());
                hours.add(Math.min(CAP_HOURS, (tripMicros - end) / (double) SECOND * ACCELERATION / 3600));
            }
        }
        return new Life(features, hours);
    }

    static LabelledRows table(int lives, long seed, FeatureExtractor extractor, Progress progress) {
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Integer> g = new ArrayList<>();
        for (int life = 0; life < lives; life++) {
            double ratio = 0.85 + 0.25 * random.nextDouble();
            Life l = life(seed * 1000 + life, ratio, extractor);
            x.addAll(l.features());
            y.addAll(l.hoursLeft());
            for (int i = 0; i < l.features().size(); i++) {
                g.add(life);
            }
            if ((life + 1) % 10 == 0 || life + 1 == lives) {
                progress.step("simulated " + (life + 1) + "/" + lives + " bearing lives, " + y.size() + " windows");
            }
        }
        return new LabelledRows(extractor.featureSet().features(), x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray(),
                g.stream().mapToInt(Integer::intValue).toArray(), List.of());
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

    static void run(Path out, Options o) throws Exception {
        int lives = o.lives();
        Progress progress = new Progress(o.quiet());
        FeatureSetDefinition set = featureSet();
        FeatureExtractor extractor = new FeatureExtractor(set);
        LabelledRows rows = table(lives, o.seed(), extractor, progress);
        progress.step(rows.size() + " windows of " + lives + " lives; " + set.features().size() + " features of " + set.id());

        int[] fold = GroupedCrossValidation.assign(rows, o.folds(), o.seed());
        double[] predicted = GroupedCrossValidation.predictions(rows, fold, o.folds(),
                () -> Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), false), set.id(), progress);
        double rmse = Metrics.rmse(rows.labels(), predicted);
        List<Integer> below = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.labels()[i] < CAP_HOURS) {
                below.add(i);
            }
        }
        double[] tb = below.stream().mapToDouble(i -> rows.labels()[i]).toArray();
        double[] pb = below.stream().mapToDouble(i -> predicted[i]).toArray();
        double rmseFault = Metrics.rmse(tb, pb);
        double[] urgency = urgencyFigures(rows.labels(), predicted);
        String summary = String.format(Locale.ROOT,
                "simulated pump bearing, %d lives, %d-fold CV grouped by life, %s: RMSE %.1f h over all %d windows (true RUL capped at %.0f h), "
                        + "%.1f h over the %d windows with RUL < %.0f h; urgency right in %.1f %% of windows, CRITICAL found in %.1f %%, "
                        + "%d CRITICAL windows called NORMAL",
                lives, o.folds(), o.describe(), rmse, rows.size(), CAP_HOURS, rmseFault, tb.length, CAP_HOURS, 100 * urgency[0], 100 * urgency[1],
                (int) urgency[2]);
        progress.step(summary);

        Instances all = WekaTables.of(rows, set.id(), null);
        Classifier model = Algorithms.create(o.algorithm(), o.trees(), o.maxDepth(), o.seed(), false);
        model.buildClassifier(all);
        progress.step("final model trained on all " + rows.size() + " windows");
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("cv", o.folds() + "-fold grouped by bearing life");
        metrics.put("lives", Integer.toString(lives));
        metrics.put("rmseHours", String.format(Locale.ROOT, "%.2f", rmse));
        metrics.put("rmseHoursBelowCap", String.format(Locale.ROOT, "%.2f", rmseFault));
        metrics.put("urgencyAgreement", String.format(Locale.ROOT, "%.4f", urgency[0]));
        metrics.put("criticalRecall", String.format(Locale.ROOT, "%.4f", urgency[1]));
        metrics.put("trainingRows", Integer.toString(rows.size()));
        Path pkg = ModelPackage.write(out, MODEL_ID, o.version(), ModelKind.REMAINING_USEFUL_LIFE, set, o.describe(), model, all, metrics);
        progress.step("model package " + pkg);
        System.out.println(summary);
    }
}
