package io.millwright.whatif.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.kpi.api.CostModel;
import io.millwright.simulator.internal.SimulatedPlantDevice;
import io.millwright.simulator.internal.SimulatorPhysics;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.whatif.api.AssetPhysics;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The twin's accuracy: a what-if over the simulated plant's own physics against actually running the simulated plant —
 * as its device does, 8,640 plant seconds a tick — at the scenario's setpoint from the same state. The pump-1 bearing
 * has 10 plant days left at nominal speed; the scenario runs it 8 % faster for 10 days.
 */
class ScenarioRunnerTest {

    static final double LIFE = 30 * 86_400;
    static final double TICK = 8_640;
    static final FeatureSetDefinition FEATURES = new FeatureSetDefinition("pump-bearing", 1, 20_000_000, 5_000_000, List.of(
            "vibration.rms", "vibration.kurtosis", "vibration.crest", "vibration.band_70_110", "vibration.band_150_330",
            "bearing_temperature.mean", "speed.mean", "current.mean"));

    /** The demo's simulated plant: 8,640 × the clock, a 30-day bearing life, a day's repair. */
    static SimulatedPlantDevice.Config demo() {
        return new SimulatedPlantDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return SimulatedPlantDevice.Config.class; }
            @Override public String deviceId() { return "sim"; }
            @Override public long seed() { return 42; }
            @Override public double timeAcceleration() { return TICK; }
            @Override public String faultyAsset() { return "pump-1"; }
            @Override public double failureAfterSeconds() { return LIFE; }
            @Override public double repairSeconds() { return 86_400; }
            @Override public int scalarIntervalMs() { return 1000; }
            @Override public int waveformIntervalMs() { return 5000; }
            @Override public int waveformRateHz() { return 4096; }
            @Override public double waveformSeconds() { return 1.0; }
            @Override public String[] sensorFaults() { return new String[0]; }
        };
    }

    /** What actually happens: the plant itself, ticked as its device ticks it. */
    record Observed(double tripAfterHours, double output, double energyKwh) {
    }

    static Observed observe(SimulatedPlant plant, SimulatedAsset pump, double setpoint, double horizonS) {
        pump.setpoint(setpoint);
        double output0 = pump.produced();
        double energy0 = pump.energyUsedKwh();
        double trip = Double.NaN;
        for (double t = 0; t < horizonS; t += TICK) {
            boolean was = pump.running();
            plant.tick(pump, TICK, 0, 0, 0);
            if (was && !pump.running() && Double.isNaN(trip)) {
                trip = (t + TICK) / 3600;
            }
        }
        return new Observed(trip, pump.produced() - output0, pump.energyUsedKwh() - energy0);
    }

    /** A plant whose pump has run 20 of its 30 days at nominal speed, and what its twin reports. */
    private static SimulatedPlant worn(Map<String, Double> reported) {
        SimulatedPlant plant = new SimulatedPlant(42, "pump-1", LIFE, 86_400);
        SimulatedAsset pump = plant.asset("pump-1").orElseThrow();
        List<Sample> last = List.of();
        for (int i = 0; i < 200; i++) {
            last = plant.tick(pump, TICK, 0, 0, 0);
        }
        for (Sample s : last) {
            if (Double.isFinite(s.value().asDouble())) {
                reported.put(s.channel().tag(), s.value().asDouble());
            }
        }
        return plant;
    }

    @Test
    void aWhatIfAgreesWithRunningTheSimulatedPlantAtThatSetpoint() {
        Map<String, Double> reported = new HashMap<>();
        SimulatedPlant plant = worn(reported);
        SimulatedAsset pump = plant.asset("pump-1").orElseThrow();
        double rulNow = pump.remainingLifeSeconds() / 3600; // what a perfect model would answer: 240 h at nominal
        assertThat(rulNow).isCloseTo(240, within(1.0));
        Duration horizon = Duration.ofDays(10);

        SimulatorPhysics physics = new SimulatorPhysics(demo());
        Scenario faster = new Scenario("faster", Map.of("speed_setpoint", 1600.0), Double.NaN, 1);
        CostModel cost = new CostModel("pump-1", "EUR", 1500, 0.18, 2500, 4, 12_000);
        ScenarioRunner.Inputs in = new ScenarioRunner.Inputs(new FeatureExtractor(FEATURES), null, cost, "L");
        ScenarioResult projected = ScenarioRunner.run("pump-1", physics.start("pump-1", reported, rulNow, 7), faster, horizon, in, 1_800_000_000_000_000L);
        Observed observed = observe(plant, pump, 1600, horizon.toSeconds());

        System.out.printf("what-if vs the simulated plant, pump-1 at 1600 rpm for 10 days: trip after %.1f h vs %.1f h; output %.4g vs %.4g L "
                + "(%.3f %%); energy %.1f vs %.1f kWh (%.3f %%)%n", projected.tripAfterHours(), observed.tripAfterHours(), projected.output(),
                observed.output(), 100 * (projected.output() / observed.output() - 1), projected.energyKwh(), observed.energyKwh(),
                100 * (projected.energyKwh() / observed.energyKwh() - 1));
        // the bearing: 240 h at nominal, 240 / 1.081³ ≈ 190 h at 1600 rpm; both trip within one device tick (2.4 h) of it
        assertThat(observed.tripAfterHours()).isBetween(180.0, 200.0);
        assertThat(projected.tripAfterHours()).isCloseTo(observed.tripAfterHours(), within(TICK / 3600 + 1e-9));
        assertThat(projected.projectedRulHours()).isEqualTo(projected.tripAfterHours());
        assertThat(projected.urgency()).as("190 h: more than a week").isEqualTo("NORMAL");
        assertThat(projected.output()).isCloseTo(observed.output(), within(0.01 * observed.output()));
        assertThat(projected.energyKwh()).isCloseTo(observed.energyKwh(), within(0.01 * observed.energyKwh()));
        // the trajectory: the model's features per window, the vibration rising as the fault grows
        assertThat(projected.trajectory()).as("back-to-back 20-sample windows over the 100 samples").hasSizeBetween(4, 5);
        ScenarioResult.Point first = projected.trajectory().get(0);
        ScenarioResult.Point late = projected.trajectory().get(projected.trajectory().size() / 2);
        assertThat(late.vibrationRms()).isGreaterThan(first.vibrationRms());
        // one failure in the horizon: the unplanned repair and a day down at 1500 EUR/h
        assertThat(projected.failureCost()).isCloseTo(12_000 + 24 * 1500, within(TICK / 3600 * 1500 + 1e-6));
        assertThat(projected.energyCost()).isCloseTo(projected.energyKwh() * 0.18, within(1e-6));
    }

    @Test
    void scenariosSideBySideSlowerLastsLongerAndMakesLessAgainstTheBaseline() {
        Map<String, Double> reported = new HashMap<>();
        worn(reported);
        SimulatorPhysics physics = new SimulatorPhysics(demo());
        CostModel cost = new CostModel("pump-1", "EUR", 1500, 0.18, 2500, 4, 12_000);
        ScenarioRunner.Inputs in = new ScenarioRunner.Inputs(null, null, cost, "L");
        Duration horizon = Duration.ofDays(12);
        List<ScenarioResult> results = ScenarioRunner.compared(List.of(
                ScenarioRunner.run("pump-1", physics.start("pump-1", reported, 240, 7), Scenario.baseline(), horizon, in, 0),
                ScenarioRunner.run("pump-1", physics.start("pump-1", reported, 240, 7), new Scenario("slower", Map.of("speed_setpoint", 1200.0),
                        Double.NaN, 1), horizon, in, 0),
                ScenarioRunner.run("pump-1", physics.start("pump-1", reported, 240, 7), new Scenario("half the day", Map.of(), Double.NaN, 0.5),
                        horizon, in, 0)));
        ScenarioResult base = results.get(0);
        ScenarioResult slower = results.get(1);
        ScenarioResult half = results.get(2);
        assertThat(base.tripAfterHours()).as("at nominal the bearing fails in its 240 h").isCloseTo(240, within(TICK / 3600 + 1e-9));
        assertThat(slower.tripAfterHours()).as("at 1200 rpm: 240 × (1480/1200)³ ≈ 450 h, beyond the 288 h horizon").isNaN();
        assertThat(slower.projectedRulHours()).as("no model: unknown beyond the horizon").isNaN();
        assertThat(slower.outputDelta()).isNegative();
        assertThat(slower.costDelta()).as("no failure within the horizon, less energy").isNegative();
        assertThat(base.costDelta()).isZero();
        assertThat(half.output()).isCloseTo(base.output() / 2, within(0.1 * base.output()));
        assertThat(half.tripAfterHours()).as("running half the day the bearing lasts past 240 h").isNaN();
    }
}
