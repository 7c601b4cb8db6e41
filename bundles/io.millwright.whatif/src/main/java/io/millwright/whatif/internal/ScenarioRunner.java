package io.millwright.whatif.internal;

import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.UrgencyPolicy;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.WindowAssembler;
import io.millwright.kpi.api.CostModel;
import io.millwright.whatif.api.AssetPhysics;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Runs one scenario: the physics advanced over the horizon the way the asset's device samples (so the deployed model
 * sees the windows it was trained on), the model's features computed with {@link FeatureExtractor} and scored per
 * window; output, energy, rejects, the bearing temperature, trips and their downtime accumulated. A horizon of more
 * than {@value #MAX_CONTINUOUS} samples is run in coarse steps with {@value #BURSTS} bursts of one feature window each,
 * evenly spread. Pure and single-threaded; public for the load driver in benchmarks/ (the package is not exported).
 */
public final class ScenarioRunner {

    static final long MAX_CONTINUOUS = 20_000;
    static final int BURSTS = 48;
    static final double COARSE_STEP_S = 600;

    /** What a scenario needs besides the physics. */
    public record Inputs(FeatureExtractor extractor, ToDoubleFunction<FeatureVector> rulHours, CostModel cost, String unit) {
    }

    private ScenarioRunner() {
    }

    /** The quantities before the baseline comparison (cost and output deltas are filled in by the caller). */
    public static ScenarioResult run(String asset, AssetPhysics.Run run, Scenario scenario, Duration horizon, Inputs in, long startMicros) {
        run.apply(scenario);
        AssetPhysics.Cadence c = run.cadence();
        double horizonS = horizon.toMillis() / 1000.0;
        long samples = (long) Math.ceil(horizonS / c.physicsSecondsPerSample());
        long intervalMicros = Math.round(c.sampleIntervalSeconds() * 1_000_000);
        Acc acc = new Acc();
        List<ScenarioResult.Point> points = new ArrayList<>();
        double[] physicsAtSample = new double[1];
        // back-to-back windows only (every window-length, not every hop): each vibration block is analysed once; the
        // model still sees every stretch of the run (measured: 4× fewer spectra, the what-if's main cost)
        long windowMicros = in.extractor() == null ? 1 : in.extractor().featureSet().windowMicros();
        WindowAssembler windows = in.extractor() == null ? null : new WindowAssembler(windowMicros,
                in.extractor().featureSet().hopMicros(), w -> {
                    if (Math.floorMod(w.range().fromMicros(), windowMicros) != 0) {
                        return;
                    }
                    FeatureVector v = in.extractor().extract(asset, w.range(), w.channels());
                    double rul = Double.NaN;
                    if (in.rulHours() != null) {
                        try {
                            rul = in.rulHours().applyAsDouble(v);
                        } catch (RuntimeException e) {
                            rul = Double.NaN; // a window the model cannot score (a tag missing): no answer for it
                        }
                    }
                    points.add(new ScenarioResult.Point(physicsAtSample[0] / 3600, rul, feature(v, "vibration.rms"), feature(v, "bearing_temperature.mean")));
                });
        if (samples <= MAX_CONTINUOUS) {
            for (long i = 0; i < samples && acc.elapsed < horizonS; i++) {
                acc.add(run.advance(c.physicsSecondsPerSample()), c.physicsSecondsPerSample());
                physicsAtSample[0] = acc.elapsed;
                feed(windows, run, startMicros + i * intervalMicros, c.waveformEverySamples() > 0 && i % c.waveformEverySamples() == 0, i);
            }
        } else {
            long windowSamples = in.extractor() == null ? 0
                    : (long) Math.ceil(in.extractor().featureSet().windowMicros() / (double) intervalMicros) + 1;
            double burstEvery = horizonS / BURSTS;
            long t = startMicros;
            long index = 0;
            for (int b = 0; b < BURSTS && acc.elapsed < horizonS; b++) {
                double burstStart = b * burstEvery;
                while (acc.elapsed + 1e-9 < burstStart) {
                    double dt = Math.min(COARSE_STEP_S, burstStart - acc.elapsed);
                    acc.add(run.advance(dt), dt);
                }
                t += in.extractor() == null ? 0 : in.extractor().featureSet().windowMicros() * 2; // a gap: windows of bursts never mix
                for (long i = 0; i < windowSamples && acc.elapsed < horizonS; i++, index++) {
                    acc.add(run.advance(c.physicsSecondsPerSample()), c.physicsSecondsPerSample());
                    physicsAtSample[0] = acc.elapsed;
                    feed(windows, run, t + i * intervalMicros, c.waveformEverySamples() > 0 && index % c.waveformEverySamples() == 0, index);
                }
                t += windowSamples * intervalMicros;
            }
            while (acc.elapsed + 1e-9 < horizonS) {
                double dt = Math.min(COARSE_STEP_S, horizonS - acc.elapsed);
                acc.add(run.advance(dt), dt);
            }
        }
        double horizonH = horizonS / 3600;
        double lastRul = Double.NaN;
        double vib = 0;
        int vibN = 0;
        for (ScenarioResult.Point p : points) {
            if (!Double.isNaN(p.rulHours())) {
                lastRul = p.rulHours();
            }
            if (!Double.isNaN(p.vibrationRms())) {
                vib += p.vibrationRms();
                vibN++;
            }
        }
        double trip = acc.firstTripS < 0 ? Double.NaN : acc.firstTripS / 3600;
        double projected = !Double.isNaN(trip) ? trip : Double.isNaN(lastRul) ? Double.NaN : horizonH + lastRul;
        String urgency = Double.isNaN(projected) ? "" : UrgencyPolicy.DEFAULT.of(Duration.ofSeconds((long) (projected * 3600))).name();
        double energyCost = in.cost() == null ? Double.NaN : acc.energy * in.cost().energyPricePerKwh();
        double failureCost = in.cost() == null ? Double.NaN
                : acc.trips * in.cost().unplannedRepairCost() + acc.downS / 3600 * in.cost().downtimeCostPerHour();
        return new ScenarioResult(scenario.name(), scenario.setpoints(), scenario.dutyCycle(), projected, urgency, lastRul, trip, acc.output,
                in.unit(), acc.energy, acc.output > 0 ? acc.energy / acc.output : Double.NaN, vibN == 0 ? Double.NaN : vib / vibN, acc.maxBearing,
                acc.output > 0 ? acc.rejects / acc.output : Double.NaN, energyCost, failureCost, Double.NaN, Double.NaN, points);
    }

    /** Fills in the comparison with the baseline (the first result). */
    public static List<ScenarioResult> compared(List<ScenarioResult> results) {
        ScenarioResult base = results.get(0);
        double baseCost = cost(base);
        List<ScenarioResult> out = new ArrayList<>();
        for (ScenarioResult r : results) {
            out.add(new ScenarioResult(r.scenario(), r.setpoints(), r.dutyCycle(), r.projectedRulHours(), r.urgency(), r.modelRulAtEndHours(),
                    r.tripAfterHours(), r.output(), r.unit(), r.energyKwh(), r.energyPerUnit(), r.meanVibrationRms(), r.maxBearingTemperatureC(),
                    r.rejectShare(), r.energyCost(), r.failureCost(), cost(r) - baseCost, r.output() - base.output(), r.trajectory()));
        }
        return out;
    }

    private static double cost(ScenarioResult r) {
        return r.energyCost() + r.failureCost();
    }

    private static void feed(WindowAssembler windows, AssetPhysics.Run run, long timeMicros, boolean waveform, long index) {
        if (windows == null) {
            return;
        }
        for (Sample s : run.sample(timeMicros, waveform)) {
            windows.accept(s.channel().tag(), timeMicros, s.value(), index);
        }
    }

    private static double feature(FeatureVector v, String name) {
        int i = v.names().indexOf(name);
        return i < 0 ? Double.NaN : v.values()[i];
    }

    /** Sums over the run. */
    private static final class Acc {
        double elapsed;
        double output;
        double energy;
        double rejects;
        double maxBearing = Double.NEGATIVE_INFINITY;
        double firstTripS = -1;
        int trips;
        double downS;

        void add(AssetPhysics.Step s, double dt) {
            elapsed += dt;
            output += s.output();
            energy += s.energyKwh();
            rejects += s.rejects();
            if (Double.isFinite(s.bearingTemperatureC())) {
                maxBearing = Math.max(maxBearing, s.bearingTemperatureC());
            }
            if (s.tripped()) {
                trips++;
                if (firstTripS < 0) {
                    firstTripS = elapsed;
                }
            }
            if (!s.running()) {
                downS += dt;
            }
        }
    }
}
