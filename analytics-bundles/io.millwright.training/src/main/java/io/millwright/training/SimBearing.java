package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.WindowAssembler;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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
        List<FeatureVector> vectors = new ArrayList<>();
        long tripMicros = run(new SimulatedPlant(seed, ASSET, LIFE_SECONDS, 86_400), speedRatio, 100_000, extractor, vectors);
        if (tripMicros < 0) {
            throw new IllegalStateException("the simulated bearing did not fail within 100000 ticks (speed ratio " + speedRatio + ")");
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

    /**
     * Runs the pump with a bearing that does not fail (no asset of the plant is faulty) — a healthy run.
     *
     * @param seed the plant's seed
     * @param speedRatio speed / nominal
     * @param weeks plant weeks to run
     * @param extractor the feature set's extractor
     * @return each window's features, in time order
     */
    static List<double[]> healthyRun(long seed, double speedRatio, double weeks, FeatureExtractor extractor) {
        List<FeatureVector> vectors = new ArrayList<>();
        long ticks = (long) Math.ceil(weeks * 7 * 86_400 / ACCELERATION);
        if (run(new SimulatedPlant(seed, "", LIFE_SECONDS, 86_400), speedRatio, ticks, extractor, vectors) >= 0) {
            throw new IllegalStateException("a healthy simulated pump tripped (seed " + seed + ", speed ratio " + speedRatio + ")");
        }
        return vectors.stream().map(FeatureVector::values).toList();
    }

    /** Ticks the plant at the demo's timing; @return the trip's time, or -1 if the pump ran all {@code ticks} */
    private static long run(SimulatedPlant plant, double speedRatio, long ticks, FeatureExtractor extractor, List<FeatureVector> vectors) {
        SimulatedAsset pump = plant.asset(ASSET).orElseThrow();
        pump.setpoint(pump.nominalSpeed() * speedRatio);
        WindowAssembler windows = new WindowAssembler(extractor.featureSet().windowMicros(), extractor.featureSet().hopMicros(),
                w -> vectors.add(extractor.extract(ASSET, w.range(), w.channels())));
        long t0 = 1_700_000_000L * SECOND;
        for (long tick = 0; tick < ticks; tick++) {
            long t = t0 + tick * SECOND;
            boolean waveform = tick % WAVEFORM_EVERY_TICKS == 0;
            List<Sample> samples = plant.tick(ACCELERATION, t, waveform ? WAVEFORM_RATE_HZ : 0, WAVEFORM_POINTS);
            if (!pump.running()) {
                return t;
            }
            for (Sample s : samples) {
                if (s.channel().asset().equals(ASSET) && extractor.tags().contains(s.channel().tag())) {
                    windows.accept(s.channel().tag(), t, s.value(), tick);
                }
            }
        }
        return -1;
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

    static void run(Path out, Options o) throws Exception {
        Progress progress = new Progress(o.quiet());
        FeatureSetDefinition set = featureSet();
        LabelledRows rows = table(o.lives(), o.seed(), new FeatureExtractor(set), progress);
        progress.step(rows.size() + " windows of " + o.lives() + " lives; " + set.features().size() + " features of " + set.id());
        RulTraining.crossValidateAndPackage(rows, set, CAP_HOURS, "simulated pump bearing, " + o.lives() + " lives", "life", MODEL_ID, out, o,
                progress, new ModelPackage.Card("Remaining useful life (hours) of a centrifugal pump's drive-end bearing with an outer-race "
                        + "defect, from 20 s windows of vibration, bearing temperature, speed and current (feature set " + set.id() + "); "
                        + "urgency CRITICAL < 48 h, WARNING < 1 week",
                        "Millwright's simulated plant: " + o.lives() + " bearing lives from new to trip, each at a constant speed of 85-110 % "
                                + "of nominal (1258-1628 rpm), 25 C ambient",
                        "Trained on simulated physics, not on a real pump: retrain on the plant's own journal (millwright-train journal) "
                                + "before trusting it with a real asset; speeds outside 85-110 % of nominal, other ambient temperatures and "
                                + "other fault modes (impeller, misalignment, lubrication) are outside what it learnt; life is capped at "
                                + (int) CAP_HOURS + " h"));
    }
}
