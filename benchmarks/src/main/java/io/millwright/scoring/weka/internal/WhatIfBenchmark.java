package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.UrgencyPolicy;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.kpi.api.CostModel;
import io.millwright.simulator.internal.SimulatedPlantDevice;
import io.millwright.simulator.internal.SimulatorPhysics;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.training.Train;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import io.millwright.whatif.internal.ScenarioRunner;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What-if scenarios per second on one thread for a 30-day horizon: the simulator's physics sampled as the demo's device
 * samples (300 samples, 60 vibration blocks), the pump bearing model's features per window and its score — beside the
 * same runs without the model and without features (physics only), in the same run. The model is trained first by the
 * training tool (40 simulated lives, about 10 s), as the scoring benchmark does.
 */
public final class WhatIfBenchmark {

    private static final SignedPackage.Rules UNSIGNED = new SignedPackage.Rules(1L << 30, new ModelTrust(List.of(), null), true);

    private WhatIfBenchmark() {
    }

    public static void run(int seconds) throws Exception {
        System.setProperty("WEKA_HOME", Files.createTempDirectory("bench-weka-").toString());
        Path models = Files.createTempDirectory("bench-models-");
        Train.run(List.of("sim", models.toString(), "--version", "1.0.0", "--lives", "40", "--quiet"));
        PackagedModel model = PackagedModel.load("bench", Files.readAllBytes(models.resolve("pump-bearing-rul-1.0.0.mwmodel")), UrgencyPolicy.DEFAULT, UNSIGNED);
        SimulatorPhysics physics = new SimulatorPhysics(demo());
        Map<String, Double> reported = worn();
        CostModel cost = new CostModel("pump-1", "EUR", 1500, 0.18, 2500, 4, 12_000);
        Duration horizon = Duration.ofDays(30);
        Scenario faster = new Scenario("faster", Map.of("speed_setpoint", 1600.0), Double.NaN, 1);
        ScenarioRunner.Inputs full = new ScenarioRunner.Inputs(new FeatureExtractor(model.featureSet()), v -> model.score(v).result(), cost, "L");
        ScenarioRunner.Inputs features = new ScenarioRunner.Inputs(new FeatureExtractor(model.featureSet()), null, cost, "L");
        ScenarioRunner.Inputs physicsOnly = new ScenarioRunner.Inputs(null, null, cost, "L");
        for (int round = 0; round < 2; round++) {
            String label = round == 0 ? "warm-up" : "measured";
            int s = round == 0 ? Math.max(2, seconds / 3) : seconds;
            double withModel = rate(physics, reported, faster, horizon, full, s);
            double withFeatures = rate(physics, reported, faster, horizon, features, s);
            double physicsRate = rate(physics, reported, faster, horizon, physicsOnly, s);
            System.out.printf(Locale.ROOT, "whatif %-8s 30-day horizon, one thread: %.1f scenarios/s with the model (target >= 10) | %.1f features "
                    + "without scoring | %.1f physics only | with model / features only = %.2f%n", label, withModel, withFeatures, physicsRate,
                    withModel / withFeatures);
        }
        ScenarioResult r = ScenarioRunner.run("pump-1", physics.start("pump-1", reported, 150, 1), faster, horizon, full, 1_800_000_000_000_000L);
        System.out.printf(Locale.ROOT, "whatif example: pump-1 at 1600 rpm from a model RUL of 150 h: trip after %.1f h, model RUL per window %s%n",
                r.tripAfterHours(), r.trajectory().stream().limit(8).map(p -> String.format(Locale.ROOT, "%.0f", p.rulHours())).toList());
    }

    private static double rate(SimulatorPhysics physics, Map<String, Double> reported, Scenario scenario, Duration horizon, ScenarioRunner.Inputs in,
            int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            ScenarioRunner.run("pump-1", physics.start("pump-1", reported, 150, n), scenario, horizon, in, 1_800_000_000_000_000L);
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** What pump-1's twin reports after 20 of its 30 days. */
    private static Map<String, Double> worn() {
        SimulatedPlant plant = new SimulatedPlant(42, "pump-1", 30 * 86_400, 86_400);
        SimulatedAsset pump = plant.asset("pump-1").orElseThrow();
        List<Sample> last = List.of();
        for (int i = 0; i < 200; i++) {
            last = plant.tick(pump, 8640, 0, 0, 0);
        }
        Map<String, Double> reported = new HashMap<>();
        for (Sample s : last) {
            if (Double.isFinite(s.value().asDouble())) {
                reported.put(s.channel().tag(), s.value().asDouble());
            }
        }
        return reported;
    }

    private static SimulatedPlantDevice.Config demo() {
        return new SimulatedPlantDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return SimulatedPlantDevice.Config.class; }
            @Override public String deviceId() { return "sim"; }
            @Override public long seed() { return 42; }
            @Override public double timeAcceleration() { return 8640; }
            @Override public String faultyAsset() { return "pump-1"; }
            @Override public double failureAfterSeconds() { return 30 * 86_400; }
            @Override public double repairSeconds() { return 86_400; }
            @Override public int scalarIntervalMs() { return 1000; }
            @Override public int waveformIntervalMs() { return 5000; }
            @Override public int waveformRateHz() { return 4096; }
            @Override public double waveformSeconds() { return 1.0; }
            @Override public String[] sensorFaults() { return new String[0]; }
        };
    }
}
