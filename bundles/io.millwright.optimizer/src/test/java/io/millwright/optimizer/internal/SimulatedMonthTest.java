package io.millwright.optimizer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.optimizer.api.Envelope;
import io.millwright.simulator.internal.SimulatedPlantDevice;
import io.millwright.simulator.internal.SimulatorPhysics;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.testing.Configs;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import io.millwright.whatif.api.WhatIfReport;
import io.millwright.whatif.internal.ScenarioRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bounded closed loop's demo: a simulated month of pump-1 — the simulated plant's own physics, ticked as its device
 * ticks it (8,640 plant seconds a tick) — once at the fixed setpoint the operators run, once with the optimizer deciding
 * every 12 plant hours from what-ifs of the plant's physics started from what the plant reports (the what-if's own
 * runner, the deployed feature set). The wear estimate the physics starts from is the plant's true remaining life at the
 * running speed where a model would know it (below 300 h), the pessimistic onset guess above: a perfect model, which
 * the gateway's Weka model is not — the live loop starts from the model's answer.
 */
class SimulatedMonthTest {

    static final double TICK = 8_640;
    static final double LIFE = 40 * 86_400; // the bearing's life at nominal speed (1,480 rpm)
    static final double DECIDE_EVERY_S = 12 * 3600;
    static final double MONTH_S = 30 * 86_400;
    static final double FIXED = 1600;
    static final Envelope ENVELOPE = new Envelope("speed_setpoint", 1000, 1750, 100, 240, 5, 5, 0.5);
    static final FeatureSetDefinition FEATURES = new FeatureSetDefinition("pump-bearing", 1, 20_000_000, 5_000_000, List.of(
            "vibration.rms", "vibration.kurtosis", "vibration.crest", "vibration.band_70_110", "vibration.band_150_330",
            "bearing_temperature.mean", "speed.mean", "current.mean"));

    /** The demo's simulated plant (8,640 × the clock, its cadence), with a 40-day bearing life and a day's repair. */
    static SimulatedPlantDevice.Config demo() {
        return Configs.of(SimulatedPlantDevice.Config.class, Map.of("timeAcceleration", TICK, "failureAfterSeconds", LIFE, "repairSeconds", 86_400.0));
    }

    /** How a month ended. */
    record Month(double rulHours, String urgency, double output, double energyKwh, long failures, double minSetpoint, double maxSetpoint,
            int writes, List<String> mismatches) {
    }

    /** Runs the plant for a month; the optimizer decides when {@code optimize}, otherwise the setpoint stays fixed. */
    static Month month(boolean optimize, double ambientOffsetC) {
        SimulatedPlant plant = new SimulatedPlant(42, "pump-1", LIFE, 86_400);
        SimulatedAsset pump = plant.asset("pump-1").orElseThrow();
        if (ambientOffsetC != 0) {
            pump.ambient(25 + ambientOffsetC);
        }
        pump.setpoint(FIXED);
        SimulatorPhysics physics = new SimulatorPhysics(demo());
        ScenarioRunner.Inputs inputs = new ScenarioRunner.Inputs(new FeatureExtractor(FEATURES), null, null, "L");
        double output0 = pump.produced();
        double energy0 = pump.energyUsedKwh();
        double setpoint = FIXED;
        double min = FIXED;
        double max = FIXED;
        int writes = 0;
        List<String> mismatches = new ArrayList<>();
        Planner.Plan last = null;
        Map<String, Double> reported = new HashMap<>();
        long tickIndex = 0;
        for (double t = 0; t < MONTH_S; t += TICK) {
            long clockMs = Math.round(t / TICK * 1000); // the device's clock: one second a tick
            List<Sample> samples = plant.tick(pump, TICK, clockMs * 1000, 4096, 4096);
            tickIndex++;
            for (Sample s : samples) {
                reported.put(s.channel().tag(), s.value().asDouble());
            }
            if (!optimize || tickIndex % Math.round(DECIDE_EVERY_S / TICK) != 0) {
                continue;
            }
            double hours = t / 3600;
            if (last != null) {
                Mismatch.check(last, clockMs, reported.getOrDefault("bearing_temperature", Double.NaN), reported.getOrDefault("vibration",
                        Double.NaN), ENVELOPE).ifPresent(m -> mismatches.add(String.format("%.0f h: %s", hours, m)));
                if (!mismatches.isEmpty()) {
                    break; // the loop stops on a mismatch
                }
            }
            Map<String, Double> twin = Map.copyOf(reported);
            double rulNow = pump.remainingLifeSeconds() / 3600; // a perfect model's answer; the physics treats ≥ 300 h as unknown
            double current = setpoint;
            long seed = tickIndex;
            Planner.Plan plan = Planner.plan(current, ENVELOPE, ENVELOPE.maxChangePerHour(), scenarios -> {
                List<ScenarioResult> results = new ArrayList<>();
                List<Scenario> all = new ArrayList<>();
                all.add(Scenario.baseline());
                all.addAll(scenarios);
                for (Scenario s : all) {
                    results.add(ScenarioRunner.run("pump-1", physics.start("pump-1", twin, rulNow, seed), s,
                            Duration.ofSeconds(Math.round(ENVELOPE.rulTargetHours() * 3600)), inputs, clockMs * 1000));
                }
                return new WhatIfReport("pump-1", clockMs, clockMs, ENVELOPE.rulTargetHours(), "simulator-physics@1.0.0", "", "", rulNow, 0,
                        ScenarioRunner.compared(results), TICK);
            }, clockMs);
            last = plan;
            if (plan.decision().to() != current) {
                setpoint = plan.decision().to();
                pump.setpoint(setpoint);
                writes++;
                min = Math.min(min, setpoint);
                max = Math.max(max, setpoint);
            }
        }
        double rul = pump.remainingLifeSeconds() / 3600;
        String urgency = rul < 48 ? "CRITICAL" : rul < 168 ? "WARNING" : "NORMAL";
        return new Month(rul, urgency, pump.produced() - output0, pump.energyUsedKwh() - energy0, pump.failures(), min, max, writes, mismatches);
    }

    @Test
    void withTheOptimizerTheBearingEndsTheMonthWithMoreLifeThanAtTheFixedSetpointWithinTheEnvelope() {
        Month fixed = month(false, 0);
        Month optimized = month(true, 0);
        System.out.printf("a simulated month of pump-1 (bearing life 40 days at 1480 rpm): fixed %.0f rpm → remaining life %.0f h (%s), "
                + "output %.4g L, %.0f kWh, %d failures; optimizer (envelope %.0f–%.0f rpm, ≤ %.0f rpm a decision, life ≥ %.0f h) → "
                + "remaining life %.0f h (%s), output %.4g L (%.1f %%), %.0f kWh, %d failures, setpoint %.0f–%.0f rpm, %d writes%n",
                FIXED, fixed.rulHours(), fixed.urgency(), fixed.output(), fixed.energyKwh(), fixed.failures(), ENVELOPE.min(), ENVELOPE.max(),
                ENVELOPE.maxChangePerHour(), ENVELOPE.rulTargetHours(), optimized.rulHours(), optimized.urgency(), optimized.output(),
                100 * optimized.output() / fixed.output(), optimized.energyKwh(), optimized.failures(), optimized.minSetpoint(),
                optimized.maxSetpoint(), optimized.writes());
        assertThat(fixed.failures()).as("the fixed setpoint does not fail within the month either").isZero();
        assertThat(optimized.failures()).isZero();
        assertThat(optimized.mismatches()).as("the twin's projections agree with the plant: no mismatch stop").isEmpty();
        assertThat(optimized.rulHours()).as("more remaining life at the end of the month").isGreaterThan(fixed.rulHours());
        assertThat(optimized.rulHours()).as("the target held (one decision period of slack)").isGreaterThanOrEqualTo(ENVELOPE.rulTargetHours() - 12);
        assertThat(optimized.minSetpoint()).isGreaterThanOrEqualTo(ENVELOPE.min());
        assertThat(optimized.maxSetpoint()).isLessThanOrEqualTo(ENVELOPE.max());
        assertThat(optimized.writes()).isGreaterThan(1);
        assertThat(optimized.output()).as("output within the envelope: at least what its lowest speed makes")
                .isGreaterThan(fixed.output() * ENVELOPE.min() / FIXED);
    }

    @Test
    void aPlantThatRunsHotterThanItsTwinProjectsStopsTheLoopNamingTheBearingTemperature() {
        Month hot = month(true, 25);
        assertThat(hot.mismatches()).hasSize(1);
        assertThat(hot.mismatches().get(0)).contains("bearing temperature observed").contains("tolerance 5.0 °C");
        System.out.println("a plant 25 °C hotter than its twin assumes: " + hot.mismatches().get(0));
    }

    @Test
    void candidatesStayInsideTheEnvelopeAndMoveAnOutsideValueTowardIt() {
        assertThat(Planner.candidates(1700, ENVELOPE, 100)).containsExactly(1600.0, 1650.0, 1750.0);
        assertThat(Planner.candidates(1200, ENVELOPE, 0)).isEmpty();
        assertThat(Planner.candidates(1900, ENVELOPE, 100)).containsExactly(1800.0);
        assertThat(Planner.candidates(900, ENVELOPE, 300)).containsExactly(1000.0);
        assertThat(Planner.num(1562.5)).isEqualTo("1563");
    }
}
