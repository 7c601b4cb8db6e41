package io.millwright.simulator.internal;

import io.millwright.testing.Await;
import io.millwright.testing.CollectingSink;
import java.util.function.BooleanSupplier;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.api.ChannelId;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.driver.api.DeviceState;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.driver.api.WriteResult;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedPlantDeviceTest {

    static SimulatedPlantDevice.Config config(String deviceId, int intervalMs, double acceleration) {
        return new SimulatedPlantDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return SimulatedPlantDevice.Config.class; }
            @Override public String deviceId() { return deviceId; }
            @Override public long seed() { return 42; }
            @Override public double timeAcceleration() { return acceleration; }
            @Override public String faultyAsset() { return "pump-1"; }
            @Override public double failureAfterSeconds() { return 300; }
            @Override public double repairSeconds() { return 120; }
            @Override public int scalarIntervalMs() { return intervalMs; }
            @Override public int waveformIntervalMs() { return intervalMs * 5; }
            @Override public int waveformRateHz() { return 2048; }
            @Override public double waveformSeconds() { return 0.5; }
            @Override public String[] sensorFaults() { return new String[0]; }
        };
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Await.until("the condition", Duration.ofSeconds(10), condition);
    }

    @Test
    void publishesGoesOnlineAppliesWritesAndStopsItsLane() throws Exception {
        CollectingSink sink = new CollectingSink();
        SimulatedPlantDevice device = new SimulatedPlantDevice(null, sink, config("sim-a", 20, 1), Clock.systemUTC());
        try {
            await(() -> sink.batches().size() >= 3);
            assertThat(device.status().state()).isEqualTo(DeviceState.ONLINE);
            assertThat(sink.batches().get(0).source()).isEqualTo("sim-a");
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("simulator-io-sim-a");

            ChannelId setpoint = ChannelId.parse("pump-1/speed_setpoint");
            WriteResult ok = device.write(setpoint, Value.of(1600.0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(ok.accepted()).isTrue();
            int seen = sink.batches().size();
            await(() -> sink.batches().size() > seen + 1);
            SampleBatch last = sink.batches().get(sink.batches().size() - 1);
            assertThat(last.samples()).filteredOn(s -> s.channel().equals(setpoint)).singleElement()
                    .satisfies(s -> assertThat(s.value().asDouble()).isEqualTo(1600.0));

            WriteResult tooFast = device.write(setpoint, Value.of(99_999.0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(tooFast.accepted()).isFalse();
            assertThat(tooFast.message()).contains("99999.0").contains("pump-1/speed_setpoint");
            WriteResult readOnly = device.write(ChannelId.parse("pump-1/speed"), Value.of(1.0)).toCompletableFuture().get();
            assertThat(readOnly.message()).contains("not writable");
        } finally {
            device.deactivate();
        }
        assertThat(device.status().state()).isEqualTo(DeviceState.STOPPED);
        // the lane's executor has terminated when deactivate returns; its thread may take a moment more to exit
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("simulator-io-sim-a")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("simulator-io-sim-a");
        device.deactivate();
    }

    @Test
    void aFullSinkIsCountedAsOverrunAndShownAsDegraded() throws Exception {
        CollectingSink sink = new CollectingSink();
        sink.full(true);
        SimulatedPlantDevice device = new SimulatedPlantDevice(null, sink, config("sim-b", 10, 1), Clock.systemUTC());
        try {
            await(() -> device.counters().overruns() >= 2);
            assertThat(device.status().state()).isEqualTo(DeviceState.DEGRADED);
            assertThat(device.status().detail()).isEqualTo("overrun");
            sink.full(false);
            await(() -> device.status().state() == DeviceState.ONLINE);
        } finally {
            device.deactivate();
        }
    }

    @Test
    void invalidSettingsNamePidAttributeAndValue() {
        assertThatThrownBy(() -> SimulatedPlantDevice.validate(config("sim", 20, 0)))
                .hasMessage("configuration io.millwright.simulator.plant: timeAcceleration=0.0: must be 0.1..10000.0");
        assertThatThrownBy(() -> SimulatedPlantDevice.validate(config("bad id", 20, 1)))
                .hasMessageContaining("deviceId=bad id");
        assertThatThrownBy(() -> SimulatedPlantDevice.validate(config("sim", 5, 1)))
                .hasMessageContaining("scalarIntervalMs=5.0");
    }
}
