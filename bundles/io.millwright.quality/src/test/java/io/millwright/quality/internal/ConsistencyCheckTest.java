package io.millwright.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.api.Waveform;
import io.millwright.asset.api.ConsistencyRule;
import io.millwright.features.Spectrum;
import io.millwright.quality.api.ConsistencyReport;
import io.millwright.quality.api.ConsistencyReport.Verdict;
import io.millwright.simulator.plant.SensorFault;
import io.millwright.simulator.plant.SimulatedPlant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensor drift told from a changing machine, on the simulated plant as the demo runs it (8640 times faster than real
 * time, a sample a second, a vibration block every 5 s; 10 s windows, a reference of 6 windows): the pump's bearing
 * temperature against the rule {@code bearing_temperature from speed^2}, corroborated by the vibration energy at the
 * bearing's defect frequency (the feature {@code band_70_110}, computed here from each block as the feature stream does
 * from its window).
 */
class ConsistencyCheckTest {

    private static final ChannelId BEARING = ChannelId.parse("pump-1/bearing_temperature");
    private static final ChannelId SPEED = ChannelId.parse("pump-1/speed");
    private static final ChannelId BAND = ChannelId.parse("pump-1/f.pump-bearing.vibration.band_70_110");
    private static final ConsistencyRule RULE = ConsistencyRule.parse(
            "bearing_temperature from speed^2 corroborate=f.pump-bearing.vibration.band_70_110 tolerance=2");
    private static final long START = 1_800_000_000_000_000L;
    private static final QualitySettings SETTINGS = new QualitySettings(10_000_000L, 5, 5_000_000L, 30, 30, 0.01, 0.05, 0.2, 0.3, 10, 6, 3);

    /** What a run produced: each window's verdict and the bearing temperature's quality statuses. */
    record Run(List<ConsistencyReport> verdicts, List<String> statuses, List<Double> temperatures) {
        List<Verdict> after(int windows) {
            return verdicts.subList(Math.min(windows, verdicts.size()), verdicts.size()).stream().map(ConsistencyReport::verdict).toList();
        }
    }

    @Test
    void aHealthyMachineIsConsistentAndAnOperatingChangeTheReferenceCoveredIsExplainedNotCalledDrift() {
        // the operator moves the pump between 1400 and 1550 rpm while the reference is learnt, then runs it at 1420 rpm
        Run run = runWithSetpoints(second -> second < 60 ? new double[] {1400, 1480, 1550}[(second / 10) % 3] : second < 300 ? 1550 : 1420);
        System.out.println("operating change: " + summary(run));
        assertThat(run.verdicts()).hasSizeGreaterThan(40);
        assertThat(run.after(6)).as("verdicts after the reference").containsOnly(Verdict.CONSISTENT);
        assertThat(run.statuses()).doesNotContain("DRIFT");
        // the change was real: the bearing ran more than the tolerance cooler at 1420 rpm than at 1550
        double at1550 = mean(run.temperatures().subList(200, 290));
        double at1420 = mean(run.temperatures().subList(320, 400));
        assertThat(at1550 - at1420).isGreaterThan(2 * RULE.tolerance());
    }

    @Test
    void aSpeedTheReferenceNeverSawIsNotJudgedEvenASmallStep() {
        // the reference at nominal speed only (1480 rpm): the slope is unknown, so 1510 rpm (+2 %, 1.2 °C warmer) is outside
        Run run = runWithSetpoints(second -> second < 200 ? 1480 : 1510);
        System.out.println("small step outside the reference: " + summary(run));
        assertThat(run.after(6)).containsOnly(Verdict.CONSISTENT, Verdict.OUTSIDE_REFERENCE);
        assertThat(run.verdicts().get(run.verdicts().size() - 1).verdict()).isEqualTo(Verdict.OUTSIDE_REFERENCE);
    }

    private static Run runWithSetpoints(java.util.function.IntToDoubleFunction setpoint) {
        SimulatedPlant plant = new SimulatedPlant(42, "", 2_592_000, 86_400);
        return runOn(plant, null, 480, second -> plant.asset("pump-1").orElseThrow().setpoint(setpoint.applyAsDouble(second)),
                QualityEngine.ReferenceStore.NONE);
    }

    private static Run runOn(SimulatedPlant plant, SensorFault fault, int seconds, IntConsumer operator, QualityEngine.ReferenceStore store) {
        return Runner.run(plant, fault, seconds, operator, store);
    }

    @Test
    void aCalibrationDriftOnAHealthyMachineIsSensorDriftAndMarksTheChannel() {
        SimulatedPlant plant = new SimulatedPlant(42, "", 2_592_000, 86_400);
        Run run = runOn(plant, SensorFault.parse("pump-1/bearing_temperature drift rate=60 after=180"), 600, null,
                QualityEngine.ReferenceStore.NONE);
        System.out.println("drift: " + summary(run));
        List<Verdict> before = run.verdicts().subList(6, 18).stream().map(ConsistencyReport::verdict).toList();
        assertThat(before).as("before the drift").containsOnly(Verdict.CONSISTENT);
        assertThat(run.after(6)).contains(Verdict.SENSOR_DRIFT).doesNotContain(Verdict.MACHINE_CHANGE);
        ConsistencyReport lastOne = run.verdicts().get(run.verdicts().size() - 1);
        assertThat(lastOne.verdict()).isEqualTo(Verdict.SENSOR_DRIFT);
        // 7 minutes at 1 °C a minute: the shift is estimated within a few degrees of it
        assertThat(lastOne.residual()).isBetween(6.0, 8.0);
        assertThat(lastOne.shift()).as("the mean shift since it began").isBetween(2.0, lastOne.residual());
        assertThat(lastOne.moved()).isEmpty();
        assertThat(run.statuses()).contains("DRIFT");
    }

    @Test
    void aFailingBearingIsAMachineChangeNotSensorDrift() {
        SimulatedPlant plant = new SimulatedPlant(42, "pump-1", 2_592_000, 86_400);
        // one bearing life: healthy for 90 s, the defect grows until the pump trips at 300 s, repaired 10 s later
        Run run = runOn(plant, null, 400, null, QualityEngine.ReferenceStore.NONE);
        System.out.println("bearing failure: " + summary(run));
        assertThat(run.after(6)).contains(Verdict.MACHINE_CHANGE).doesNotContain(Verdict.SENSOR_DRIFT);
        assertThat(run.statuses()).doesNotContain("DRIFT");
        ConsistencyReport change = run.verdicts().stream().filter(r -> r.verdict() == Verdict.MACHINE_CHANGE).findFirst().orElseThrow();
        assertThat(change.moved()).containsExactly("f.pump-bearing.vibration.band_70_110");
    }

    @Test
    void aLearntReferenceSurvivesARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("quality/references.properties");
        SimulatedPlant plant = new SimulatedPlant(42, "", 2_592_000, 86_400);
        Run first = runOn(plant, null, 90, null, new ReferenceFile(file));
        assertThat(first.verdicts().get(5).verdict()).isEqualTo(Verdict.LEARNING);
        assertThat(first.verdicts().get(6).verdict()).isEqualTo(Verdict.CONSISTENT);
        java.util.Properties stored = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            stored.load(in);
        }
        assertThat(stored.stringPropertyNames()).singleElement().asString().startsWith("pump-1 bearing_temperature from speed^2");
        // after the restart the plant's sensor already drifts: judged against the stored reference, not learnt from it
        SimulatedPlant again = new SimulatedPlant(42, "", 2_592_000, 86_400);
        Run second = runOn(again, SensorFault.parse("pump-1/bearing_temperature drift rate=120"), 300, null, new ReferenceFile(file));
        assertThat(second.verdicts().get(0).verdict()).isNotEqualTo(Verdict.LEARNING);
        assertThat(second.after(0)).contains(Verdict.SENSOR_DRIFT).doesNotContain(Verdict.LEARNING);
        // an unreadable file is set aside and the reference learnt again
        Files.writeString(file, "pump-1\\u12");
        Run third = runOn(new SimulatedPlant(42, "", 2_592_000, 86_400), null, 90, null, new ReferenceFile(file));
        assertThat(third.verdicts().get(0).verdict()).isEqualTo(Verdict.LEARNING);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("references.properties.unreadable-"));
        }
    }

    private static String summary(Run run) {
        StringBuilder b = new StringBuilder();
        Verdict before = null;
        int count = 0;
        for (ConsistencyReport r : run.verdicts()) {
            if (r.verdict() != before) {
                if (before != null) {
                    b.append(before).append('×').append(count).append(' ');
                }
                before = r.verdict();
                count = 0;
            }
            count++;
        }
        return b.append(before).append('×').append(count).toString();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Drives the plant and the engine. */
    private static final class Runner {
        static Run run(SimulatedPlant plant, SensorFault fault, int seconds, IntConsumer operator, QualityEngine.ReferenceStore store) {
            DoubleUnaryOperator identity = DoubleUnaryOperator.identity();
            ConsistencyCheck.Definition d = new ConsistencyCheck.Definition("pump-1", RULE, new ConsistencyCheck.Input(BEARING, identity),
                    List.of(new ConsistencyCheck.Input(SPEED, identity)), List.of(new ConsistencyCheck.Input(BAND, identity)));
            QualityEngine engine = new QualityEngine(SETTINGS, c -> ChannelQuality.Expectation.NONE, () -> List.of(d), store);
            List<String> statuses = new ArrayList<>();
            List<Double> temperatures = new ArrayList<>();
            Map<Long, ConsistencyReport> byTime = new TreeMap<>();
            for (int second = 0; second < seconds; second++) {
                if (operator != null) {
                    operator.accept(second);
                }
                long t = START + second * 1_000_000L;
                List<Sample> batch = plant.tick(8640, t, second % 5 == 0 ? 4096 : 0, 4096);
                if (fault != null) {
                    batch = fault.apply(batch);
                }
                List<Sample> in = new ArrayList<>(batch);
                for (Sample s : batch) {
                    if (s.channel().tag().equals("vibration") && s.channel().asset().equals("pump-1") && s.value() instanceof Waveform w) {
                        double energy = Spectrum.of(w.toArray(), w.sampleRateHz()).bandEnergy(70, 110);
                        in.add(Sample.of(BAND, s.sourceTimeMicros(), Value.of(energy), Quality.GOOD));
                    }
                    if (s.channel().equals(BEARING)) {
                        temperatures.add(s.value().asDouble());
                    }
                }
                for (Sample q : engine.accept(in)) {
                    if (q.channel().equals(new ChannelId("pump-1", "q.bearing_temperature"))) {
                        statuses.add(((StringValue) q.value()).value());
                    }
                }
                engine.consistency().forEach(r -> byTime.put(r.time().toEpochMilli(), r));
            }
            return new Run(new ArrayList<>(byTime.values()), statuses, temperatures);
        }
    }
}
