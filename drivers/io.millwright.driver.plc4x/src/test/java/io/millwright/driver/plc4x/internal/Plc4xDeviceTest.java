package io.millwright.driver.plc4x.internal;

import io.millwright.testing.Await;
import io.millwright.testing.CollectingSink;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.millwright.api.ChannelId;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.driver.api.DeviceState;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.driver.api.WriteResult;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PLC4X device through PLC4X's modbus-tcp driver against a real j2mod Modbus TCP slave on 127.0.0.1. */
class Plc4xDeviceTest {

    private int port;
    private SimpleProcessImage image;
    private final CollectingSink sink = new CollectingSink();
    private final ClassPathPlcDrivers drivers = new ClassPathPlcDrivers();
    private final List<Plc4xDevice> devices = new ArrayList<>();

    @BeforeEach
    void slave() throws Exception {
        port = freePort();
        image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(1480)); // holding 0: pressure in 0.1 bar
        image.addRegister(new SimpleRegister(0x42F6)); // holding 1-2: float32 123.456
        image.addRegister(new SimpleRegister(0xE979));
        image.addRegister(new SimpleRegister(0)); // holding 3: set point
        image.addInputRegister(new SimpleInputRegister(1234));
        image.addDigitalOut(new SimpleDigitalOut(true));
        image.addDigitalOut(new SimpleDigitalOut(false));
        startSlave();
    }

    private void startSlave() throws Exception {
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    @AfterEach
    void stop() {
        devices.forEach(Plc4xDevice::deactivate);
        ModbusSlaveFactory.close();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Plc4xDevice.Config config(String id, String url, int timeoutMs, String... channels) {
        return new Plc4xDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return Plc4xDevice.Config.class; }
            @Override public String deviceId() { return id; }
            @Override public String connectionString() { return url; }
            @Override public int pollIntervalMs() { return 50; }
            @Override public int timeoutMs() { return timeoutMs; }
            @Override public int reconnectMinMs() { return 100; }
            @Override public int reconnectMaxMs() { return 400; }
            @Override public String[] channels() { return channels; }
        };
    }

    private String url() {
        return "modbus-tcp://127.0.0.1:" + port + "?default-unit-identifier=1";
    }

    private Plc4xDevice start(Plc4xDevice.Config c) {
        Plc4xDevice d = new Plc4xDevice(null, drivers, sink, c, Clock.systemUTC());
        devices.add(d);
        return d;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    @Test
    void readsWhatTheSlaveServesInOrderAndWritesLandInTheSlave() throws Exception {
        Plc4xDevice d = start(config("plc4x-1", url(), 2000,
                "press/pressure holding-register:1:UINT scale=0.1 unit=bar",
                "press/flow holding-register:2:REAL unit=m3/h",
                "press/setpoint holding-register:4:UINT type=long writable max=1000",
                "press/count input-register:1:UINT type=long",
                "press/running coil:1:BOOL type=bool",
                "press/valve coil:2:BOOL type=bool writable"));
        await("ONLINE with samples", () -> d.status().state() == DeviceState.ONLINE && sink.batches().size() >= 3);

        assertThat(sink.latest("press/pressure").value().asDouble()).isCloseTo(148.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(sink.latest("press/flow").value().asDouble()).isCloseTo(123.456, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(sink.latest("press/count").value()).isEqualTo(Value.of(1234L));
        assertThat(sink.latest("press/running").value()).isEqualTo(Value.of(true));
        assertThat(sink.latest("press/valve").value()).isEqualTo(Value.of(false));
        assertThat(sink.latest("press/pressure").quality().level()).isEqualTo(QualityLevel.GOOD);
        List<Sample> pressure = sink.of("press/pressure");
        for (int i = 1; i < pressure.size(); i++) {
            assertThat(pressure.get(i).sourceTimeMicros()).isGreaterThan(pressure.get(i - 1).sourceTimeMicros());
        }

        image.getRegister(0).setValue(1500);
        await("the new pressure", () -> sink.latest("press/pressure").value().asDouble() == 150.0);

        WriteResult w = d.write(ChannelId.parse("press/setpoint"), Value.of(777L)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(w.accepted()).as(w.message()).isTrue();
        assertThat(image.getRegister(3).getValue()).isEqualTo(777);
        WriteResult coil = d.write(ChannelId.parse("press/valve"), Value.of(true)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(coil.accepted()).as(coil.message()).isTrue();
        assertThat(image.getDigitalOut(1).isSet()).isTrue();

        WriteResult tooBig = d.write(ChannelId.parse("press/setpoint"), Value.of(5000L)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(tooBig.accepted()).isFalse();
        assertThat(tooBig.message()).contains("press/setpoint").contains("1000");
        WriteResult readOnly = d.write(ChannelId.parse("press/pressure"), Value.of(1.0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(readOnly.message()).contains("not writable");
    }

    @Test
    void peerStoppedGoesOfflineAndComesBackWithData() throws Exception {
        Plc4xDevice d = start(config("plc4x-1", url(), 1000, "press/pressure holding-register:1:UINT"));
        await("ONLINE", () -> d.status().state() == DeviceState.ONLINE);
        ModbusSlaveFactory.close();
        long stopped = System.nanoTime();
        await("OFFLINE", () -> d.status().state() == DeviceState.OFFLINE);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)).isLessThan(5000);
        assertThat(d.status().message()).contains("127.0.0.1:" + port);
        int before = sink.of("press/pressure").size();
        // two more failed reconnects prove the lane kept working while the peer was down; still no sample
        long errors = d.counters().errors();
        await("two failed reconnects", () -> d.counters().errors() >= errors + 2);
        assertThat(sink.of("press/pressure")).hasSize(before);

        startSlave();
        await("ONLINE again", () -> d.status().state() == DeviceState.ONLINE);
        await("data again", () -> sink.of("press/pressure").size() > before + 2);
    }

    @Test
    void driverGoneRebuildsTheConnection() throws Exception {
        Plc4xDevice d = start(config("plc4x-1", url(), 1000, "press/pressure holding-register:1:UINT"));
        await("ONLINE", () -> d.status().state() == DeviceState.ONLINE);
        drivers.valid = false;
        await("OFFLINE, driver gone", () -> "driver-gone".equals(d.status().detail()));
        drivers.valid = true;
        int before = sink.of("press/pressure").size();
        await("ONLINE again", () -> d.status().state() == DeviceState.ONLINE && sink.of("press/pressure").size() > before);
    }

    @Test
    void aHangingPeerNeverDelaysAnotherDevice() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept()); // accepts, never answers
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Plc4xDevice hung = start(config("hung", "modbus-tcp://127.0.0.1:" + mute.getLocalPort(), 1000,
                    "mute/x holding-register:1:UINT"));
            Plc4xDevice healthy = start(config("healthy", url(), 1000, "press/pressure holding-register:1:UINT"));
            await("healthy ONLINE", () -> healthy.status().state() == DeviceState.ONLINE);
            await("hung OFFLINE", () -> hung.status().state() == DeviceState.OFFLINE);
            assertThat(hung.status().message()).contains("127.0.0.1:" + mute.getLocalPort());

            int from = sink.of("press/pressure").size();
            Thread.sleep(3000); // several hard timeouts of the hung device
            List<Sample> all = sink.of("press/pressure"); // one snapshot: a sample arriving between two calls made the range wrong
            List<Sample> window = all.subList(from, all.size());
            assertThat(window.size()).isGreaterThan(20);
            long widestGapMicros = 0;
            for (int i = 1; i < window.size(); i++) {
                widestGapMicros = Math.max(widestGapMicros, window.get(i).sourceTimeMicros() - window.get(i - 1).sourceTimeMicros());
            }
            assertThat(widestGapMicros).as("widest gap between the healthy device's polls, µs").isLessThan(750_000);
            assertThat(hung.abandonedThreads()).isZero();
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void stoppingADeviceEndsAllItsThreads() throws Exception {
        Plc4xDevice d = start(config("plc4x-stop", url(), 1000, "press/pressure holding-register:1:UINT"));
        await("ONLINE", () -> d.status().state() == DeviceState.ONLINE && sink.batches().size() > 3);
        ModbusSlaveFactory.close(); // a cut: the connection is closed beside the lane
        await("OFFLINE", () -> d.status().state() == DeviceState.OFFLINE);
        d.deactivate();
        devices.remove(d);
        try {
            await("no thread of the device left", () -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().endsWith("-plc4x-stop")));
        } catch (AssertionError e) {
            StringBuilder left = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.getName().endsWith("-plc4x-stop")) {
                    left.append('\n').append(t.getName()).append(' ').append(t.getState());
                    for (int i = 0; i < Math.min(8, st.length); i++) {
                        left.append("\n  at ").append(st[i]);
                    }
                }
            });
            throw new AssertionError(e.getMessage() + ":" + left, e);
        }
        assertThat(d.status().state()).isEqualTo(DeviceState.STOPPED);
    }

    @Test
    void aBadAddressIsAConfigErrorNamingTheChannel() throws Exception {
        Plc4xDevice d = start(config("plc4x-1", url(), 1000, "press/pressure holding-register:1:UINT",
                "press/bad holding-register:one:UINT"));
        await("CONFIG_ERROR", () -> d.status().state() == DeviceState.CONFIG_ERROR);
        assertThat(d.status().message()).contains("press/bad").contains("holding-register:one:UINT").contains("modbus-tcp");
    }

    @Test
    void aMissingProtocolDriverSaysWhichAreInstalled() throws Exception {
        Plc4xDevice d = start(config("plc4x-1", "s7://127.0.0.1:" + port, 1000, "line/speed %DB1.DBW0:INT"));
        await("OFFLINE", () -> d.status().state() == DeviceState.OFFLINE);
        assertThat(d.status().message()).contains("no PLC4X driver for protocol 's7'").contains("modbus-tcp");
    }

    @Test
    void badConfigurationIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> start(config("plc4x-1", "127.0.0.1:502", 1000, "a/b holding-register:1:UINT")))
                .hasMessageContaining("plc4x-1").hasMessageContaining("connectionString=127.0.0.1:502");
        assertThatThrownBy(() -> start(config("plc4x-1", url(), 10, "a/b holding-register:1:UINT")))
                .hasMessageContaining("timeoutMs=10");
        assertThatThrownBy(() -> start(config("plc4x-1", url(), 1000, "a/b holding-register:1:UINT type=float")))
                .hasMessageContaining("a/b").hasMessageContaining("type 'float'");
        assertThatThrownBy(() -> start(config("plc4x-1", url(), 1000, "a/b holding-register:1:UINT", "a/b coil:1:BOOL")))
                .hasMessageContaining("a/b is configured twice");
    }
}
