package io.millwright.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.simulator.plant.SensorFault;
import io.millwright.simulator.plant.SimulatedPlant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The detectors on the simulated plant: 15 minutes of it (a sample a second, a vibration block every 5 s, as the demo),
 * clean and with each kind of sensor fault injected into the pump's bearing temperature after 5 minutes. Each fault
 * makes its detector fire on that channel and no other; the clean plant stays OK everywhere.
 */
class QualityEngineTest {

    private static final ChannelId BEARING = ChannelId.parse("pump-1/bearing_temperature");
    private static final long START = 1_800_000_000_000_000L;

    /** The demo model's range and interval of the bearing temperatures; every other channel learns its interval. */
    private static ChannelQuality.Expectation expectation(ChannelId c) {
        return c.tag().equals("bearing_temperature") ? new ChannelQuality.Expectation(-40, 200, 1_000_000) : ChannelQuality.Expectation.NONE;
    }

    /** @return every window's status per channel with an issue (OK windows left out), in time order */
    private static Map<ChannelId, List<String>> run(SensorFault fault) {
        return run(fault, "");
    }

    private static Map<ChannelId, List<String>> run(SensorFault fault, String faultyAsset) {
        SimulatedPlant plant = new SimulatedPlant(42, faultyAsset, 2_592_000, 86_400);
        QualityEngine engine = new QualityEngine(QualitySettings.DEFAULTS, QualityEngineTest::expectation);
        Map<ChannelId, List<String>> issues = new HashMap<>();
        for (int second = 0; second < 15 * 60; second++) {
            long t = START + second * 1_000_000L;
            List<Sample> batch = plant.tick(8640, t, second % 5 == 0 ? 2048 : 0, 512);
            if (fault != null) {
                batch = fault.apply(batch);
            }
            batch = ingested(batch);
            List<Sample> out = new ArrayList<>(engine.accept(batch));
            out.addAll(engine.checkStale(t));
            for (Sample q : out) {
                assertThat(q.channel().tag()).startsWith("q.");
                String status = ((io.millwright.api.StringValue) q.value()).value();
                if (!status.equals("OK")) {
                    issues.computeIfAbsent(new ChannelId(q.channel().asset(), q.channel().tag().substring(2)), c -> new ArrayList<>())
                            .add(status);
                }
            }
        }
        return issues;
    }

    /** What ingest does to a value outside the device's declared bounds: keeps it, with BAD quality. */
    private static List<Sample> ingested(List<Sample> batch) {
        List<Sample> out = new ArrayList<>(batch.size());
        for (Sample s : batch) {
            boolean outside = s.channel().tag().equals("bearing_temperature") && s.value().asDouble() < -40;
            out.add(outside ? new Sample(s.channel(), s.sequence(), s.sourceTimeMicros(), s.ingestTimeMicros(), s.value(),
                    io.millwright.api.Quality.bad("value " + s.value().asDouble() + " outside [-40.0, 200.0]")) : s);
        }
        return out;
    }

    @Test
    void aCleanPlantIsOkOnEveryChannel() {
        assertThat(run(null)).isEmpty();
    }

    /**
     * The demo: the pump's bearing fails every 30 plant days (5 minutes) and is repaired a plant day later. Its bearing
     * temperature, whose quality the demo alarms on, stays OK throughout.
     */
    @Test
    void theDemoPlantsBearingFailuresLeaveTheBearingTemperatureOk() {
        Map<ChannelId, List<String>> issues = run(null, "pump-1");
        System.out.println("demo plant with bearing failures, channels with a quality issue: " + issues);
        assertThat(issues).doesNotContainKey(BEARING);
    }

    @ParameterizedTest
    @EnumSource(value = SensorFault.Kind.class, names = "DRIFT", mode = EnumSource.Mode.EXCLUDE) // drift: ConsistencyCheckTest
    void eachInjectedFaultIsFoundOnItsChannelAndNowhereElse(SensorFault.Kind kind) {
        Map<ChannelId, List<String>> issues = run(new SensorFault(BEARING, kind, 300));
        String expected = switch (kind) {
            case DROPOUT -> "STALE";
            default -> kind.name();
        };
        assertThat(issues.keySet()).as("channels with an issue").containsExactly(BEARING);
        Set<String> seen = new TreeSet<>();
        seen.addAll(issues.get(BEARING));
        assertThat(seen).as("statuses of %s", BEARING).containsExactly(expected);
    }
}
