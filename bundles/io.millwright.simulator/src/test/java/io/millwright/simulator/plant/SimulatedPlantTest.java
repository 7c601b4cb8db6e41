package io.millwright.simulator.plant;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.api.Waveform;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedPlantTest {

    private static final double RATE = 4096;

    private static double valueOf(List<Sample> samples, String channel) {
        ChannelId id = ChannelId.parse(channel);
        return samples.stream().filter(s -> s.channel().equals(id)).findFirst().orElseThrow().value().asDouble();
    }

    private static Waveform waveformOf(List<Sample> samples, String channel) {
        ChannelId id = ChannelId.parse(channel);
        return (Waveform) samples.stream().filter(s -> s.channel().equals(id)).findFirst().orElseThrow().value();
    }

    /** Amplitude of the tone at frequency f (single-bin DFT, Hann-free; block length gives 1 Hz bins). */
    static double amplitudeAt(Waveform w, double f) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < w.length(); i++) {
            double phi = 2 * Math.PI * f * i / w.sampleRateHz();
            re += w.point(i) * Math.cos(phi);
            im += w.point(i) * Math.sin(phi);
        }
        return 2 * Math.hypot(re, im) / w.length();
    }

    @Test
    void theSameSeedGivesTheSameSignals() {
        SimulatedPlant a = new SimulatedPlant(7, "pump-1", 300, 60);
        SimulatedPlant b = new SimulatedPlant(7, "pump-1", 300, 60);
        for (int i = 0; i < 20; i++) {
            assertThat(a.tick(1, 1000L * i, i % 5 == 0 ? RATE : 0, 4096))
                    .isEqualTo(b.tick(1, 1000L * i, i % 5 == 0 ? RATE : 0, 4096));
        }
        SimulatedPlant other = new SimulatedPlant(8, "pump-1", 300, 60);
        assertThat(other.tick(1, 0, 0, 0)).isNotEqualTo(new SimulatedPlant(7, "pump-1", 300, 60).tick(1, 0, 0, 0));
    }

    @Test
    void thePumpsBearingFaultGrowsUntilItTripsAndIsRepairedLater() {
        SimulatedPlant plant = new SimulatedPlant(42, "pump-1", 300, 60);
        SimulatedAsset pump = plant.asset("pump-1").orElseThrow();
        List<Sample> early = plant.tick(1, 0, RATE, 4096);
        for (int t = 1; t < 280; t++) {
            plant.tick(1, 0, 0, 0);
        }
        List<Sample> late = plant.tick(1, 0, RATE, 4096);
        double bpfo = pump.defectFrequencyHz();
        assertThat(amplitudeAt(waveformOf(late, "pump-1/vibration"), bpfo))
                .as("bearing-defect tone late in life vs early")
                .isGreaterThan(10 * amplitudeAt(waveformOf(early, "pump-1/vibration"), bpfo));
        assertThat(valueOf(late, "pump-1/bearing_temperature")).isGreaterThan(valueOf(early, "pump-1/bearing_temperature") + 10);
        assertThat(waveformOf(late, "pump-1/vibration").asDouble()).isGreaterThan(waveformOf(early, "pump-1/vibration").asDouble());

        int tripAt = -1;
        for (int t = 281; t < 400 && tripAt < 0; t++) {
            List<Sample> s = plant.tick(1, 0, 0, 0);
            if (valueOf(s, "pump-1/running") == 0) {
                tripAt = t;
                ChannelId reason = ChannelId.parse("pump-1/trip_reason");
                assertThat(s.stream().filter(x -> x.channel().equals(reason)).findFirst().orElseThrow().value().toString())
                        .contains("bearing failure");
            }
        }
        assertThat(tripAt).as("trips at its configured life of 300 s").isBetween(295, 305);
        assertThat(valueOf(plant.tick(1, 0, 0, 0), "motor-1/running")).as("healthy assets keep running").isEqualTo(1);

        double runningAgain = 0;
        for (int t = 0; t < 61; t++) {
            runningAgain = valueOf(plant.tick(1, 0, 0, 0), "pump-1/running");
        }
        assertThat(runningAgain).as("repaired after 60 s").isEqualTo(1);
        assertThat(pump.severity()).isZero();
        assertThat(pump.failures()).isEqualTo(1);
    }

    @Test
    void aHigherSpeedSetpointMeansMoreVibrationHeatAndOutput() {
        SimulatedPlant nominal = new SimulatedPlant(42, "", 300, 60);
        SimulatedPlant fast = new SimulatedPlant(42, "", 300, 60);
        fast.asset("motor-1").orElseThrow().setpoint(1750);
        List<Sample> n = null;
        List<Sample> f = null;
        for (int t = 0; t < 240; t++) {
            n = nominal.tick(1, 0, t == 239 ? RATE : 0, 4096);
            f = fast.tick(1, 0, t == 239 ? RATE : 0, 4096);
        }
        assertThat(valueOf(f, "motor-1/speed")).isCloseTo(1750, org.assertj.core.data.Offset.offset(5.0));
        assertThat(waveformOf(f, "motor-1/vibration").asDouble()).isGreaterThan(1.2 * waveformOf(n, "motor-1/vibration").asDouble());
        assertThat(valueOf(f, "motor-1/bearing_temperature")).isGreaterThan(valueOf(n, "motor-1/bearing_temperature") + 3);
        assertThat(valueOf(f, "motor-1/production_count")).isGreaterThan(valueOf(n, "motor-1/production_count") * 1.1);
        assertThat(valueOf(f, "motor-1/current")).isGreaterThan(valueOf(n, "motor-1/current"));
    }

    @Test
    void pumpFollowsTheAffinityLaws() {
        SimulatedPlant plant = new SimulatedPlant(42, "", 300, 60);
        List<Sample> s = null;
        for (int t = 0; t < 60; t++) {
            s = plant.tick(1, 0, 0, 0);
        }
        double q1 = valueOf(s, "pump-1/flow");
        double p1 = valueOf(s, "pump-1/discharge_pressure");
        plant.asset("pump-1").orElseThrow().setpoint(1480 * 0.8);
        for (int t = 0; t < 60; t++) {
            s = plant.tick(1, 0, 0, 0);
        }
        assertThat(valueOf(s, "pump-1/flow") / q1).isCloseTo(0.8, org.assertj.core.data.Offset.offset(0.03));
        assertThat(valueOf(s, "pump-1/discharge_pressure") / p1).isCloseTo(0.64, org.assertj.core.data.Offset.offset(0.03));
    }
}
