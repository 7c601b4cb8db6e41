package io.millwright.driver.modbus.internal;

import io.millwright.testing.Await;
import io.millwright.testing.CollectingSink;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
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
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceState;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.driver.api.WriteResult;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device against a real j2mod Modbus TCP slave on 127.0.0.1. */
class ModbusTcpDeviceTest {

    private int port;
    private SimpleProcessImage image;
    private ModbusSlave slave;
    private final CollectingSink sink = new CollectingSink();
    private ModbusTcpDevice component;
    private ModbusDevice device;

    private ModbusDevice start(ModbusTcpDevice.Config config) {
        component = new ModbusTcpDevice(null, sink, config, Clock.systemUTC());
        device = component.device();
        return device;
    }

    private void startSlave() throws Exception {
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    @BeforeEach
    void slave() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        image = new SimpleProcessImage(1);
        int[] holding = {0x42F6, 0xE979, 0xFFFE, 0, 0x1170, 0x0001, 0, 0, 1480, 0};
        for (int w : holding) {
            image.addRegister(new SimpleRegister(w));
        }
        image.addInputRegister(new SimpleInputRegister(1234));
        image.addDigitalOut(new SimpleDigitalOut(true));
        image.addDigitalIn(new SimpleDigitalIn(false));
        startSlave();
    }

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
        ModbusSlaveFactory.close();
    }

    static ModbusTcpDevice.Config config(int port, String... channels) {
        return framed(port, "tcp", channels);
    }

    static ModbusTcpDevice.Config framed(int port, String framing, String... channels) {
        return new ModbusTcpDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return ModbusTcpDevice.Config.class; }
            @Override public String deviceId() { return "plc1"; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public int port() { return port; }
            @Override public String framing() { return framing; }
            @Override public int unitId() { return 1; }
            @Override public int pollIntervalMs() { return 50; }
            @Override public int timeoutMs() { return 300; }
            @Override public int reconnectMinMs() { return 50; }
            @Override public int reconnectMaxMs() { return 200; }
            @Override public int maxGap() { return 8; }
            @Override public String[] channels() { return channels; }
        };
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(10), condition);
    }

    private static final String[] CHANNELS = {
        "p/f holding:0 float32", "p/i holding:2 int16", "p/u holding:4 uint32 order=CDAB",
        "p/speed_setpoint holding:8 uint16 scale=0.1 unit=rpm min=0 max=3000 writable",
        "p/temperature input:0 uint16 scale=0.1 unit=Cel", "p/run coil:0 bool writable", "p/ok discrete:0 bool",
        "p/missing holding:500 int16"};

    @Test
    void readsWhatTheSlaveServesAndExceptionResponsesBecomeBadSamples() throws Exception {
        start(config(port, CHANNELS));
        await("first poll", () -> sink.latest("p/ok") != null);
        assertThat(sink.latest("p/f").value()).isEqualTo(Value.of((double) 123.456f));
        assertThat(sink.latest("p/i").value()).isEqualTo(Value.of(-2L));
        assertThat(sink.latest("p/u").value()).isEqualTo(Value.of(70000L));
        assertThat(sink.latest("p/speed_setpoint").value().asDouble()).isEqualTo(148.0);
        assertThat(sink.latest("p/temperature").value().asDouble()).isCloseTo(123.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(sink.latest("p/run").value()).isEqualTo(Value.of(true));
        assertThat(sink.latest("p/ok").value()).isEqualTo(Value.of(false));
        assertThat(sink.latest("p/f").quality().isGood()).isTrue();
        Sample missing = sink.latest("p/missing");
        assertThat(missing.quality().level()).isEqualTo(QualityLevel.BAD);
        assertThat(missing.quality().reason()).contains("Modbus exception 2").contains("holding:500");
        assertThat(device.status().state()).isEqualTo(DeviceState.DEGRADED);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("modbus-io-plc1");
    }

    @Test
    void writesLandInTheSlaveAndBadWritesAreRefused() throws Exception {
        start(config(port, CHANNELS));
        await("first poll", () -> sink.latest("p/ok") != null);
        WriteResult ok = device.write(ChannelId.parse("p/speed_setpoint"), Value.of(150.0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(ok.accepted()).as(ok.message()).isTrue();
        assertThat(image.getRegister(8).getValue()).isEqualTo(1500);
        assertThat(device.write(ChannelId.parse("p/run"), Value.of(false)).toCompletableFuture().get(5, TimeUnit.SECONDS).accepted()).isTrue();
        assertThat(image.getDigitalOut(0).isSet()).isFalse();

        assertThat(device.write(ChannelId.parse("p/speed_setpoint"), Value.of(9999.0)).toCompletableFuture().get().message())
                .contains("within [0.0, 3000.0]");
        assertThat(device.write(ChannelId.parse("p/temperature"), Value.of(1.0)).toCompletableFuture().get().message()).contains("not writable");
        assertThat(device.write(ChannelId.parse("p/run"), Value.of(1.0)).toCompletableFuture().get().message()).contains("takes a boolean");
        assertThat(image.getRegister(8).getValue()).isEqualTo(1500);
    }

    @Test
    void aStoppedSlaveMakesTheDeviceOfflineAndItsReturnOnlineAgain() throws Exception {
        start(config(port, "p/f holding:0 float32"));
        await("online", () -> device.status().state() == DeviceState.ONLINE);
        ModbusSlaveFactory.close();
        await("offline after the slave stopped", () -> device.status().state() == DeviceState.OFFLINE);
        assertThat(device.status().message()).contains("127.0.0.1:" + port);
        int before = sink.batches().size();
        startSlave();
        await("online again", () -> device.status().state() == DeviceState.ONLINE);
        await("data resumes", () -> sink.batches().size() > before + 2);
    }

    @Test
    void invalidConfigurationNamesPidDeviceAndSetting() {
        assertThatThrownBy(() -> new ModbusTcpDevice(null, sink, config(port, "p/a holding:10 float32", "p/b holding:11 int16"), Clock.systemUTC()))
                .hasMessage("configuration io.millwright.driver.modbus.tcp of device 'plc1': channels p/a and p/b overlap at holding:11");
        assertThatThrownBy(() -> new ModbusTcpDevice(null, sink, config(0, "p/a holding:10 float32"), Clock.systemUTC()))
                .hasMessageContaining("port=0");
    }

    @Test
    void rtuFramingOverTcpReadsAndWritesLikeTcp() throws Exception {
        ModbusSlaveFactory.close();
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, true);
        slave.addProcessImage(1, image);
        slave.open();
        start(framed(port, "rtu", "p/f holding:0 float32", "p/speed_setpoint holding:8 uint16 scale=0.1 min=0 max=3000 writable"));
        await("first poll", () -> sink.latest("p/f") != null);
        assertThat(sink.latest("p/f").value()).isEqualTo(Value.of((double) 123.456f));
        assertThat(device.status().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(device.write(ChannelId.parse("p/speed_setpoint"), Value.of(99.5)).toCompletableFuture().get(5, TimeUnit.SECONDS).accepted())
                .isTrue();
        assertThat(image.getRegister(8).getValue()).isEqualTo(995);
    }

    @Test
    void aPeerThatAcceptsButNeverAnswersGoesOfflineWithoutDelayingAnotherDevice() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!mute.isClosed()) {
                    try {
                        held.add(mute.accept()); // accepted, never read, never answered
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "mute-peer");
            acceptor.start();
            CollectingSink hungSink = new CollectingSink();
            ModbusTcpDevice hung = new ModbusTcpDevice(null, hungSink, new ModbusTcpDevice.Config() {
                @Override public Class<? extends Annotation> annotationType() { return ModbusTcpDevice.Config.class; }
                @Override public String deviceId() { return "mute"; }
                @Override public String host() { return "127.0.0.1"; }
                @Override public int port() { return mute.getLocalPort(); }
                @Override public String framing() { return "tcp"; }
                @Override public int unitId() { return 1; }
                @Override public int pollIntervalMs() { return 50; }
                @Override public int timeoutMs() { return 1500; }
                @Override public int reconnectMinMs() { return 10; }
                @Override public int reconnectMaxMs() { return 20; }
                @Override public int maxGap() { return 8; }
                @Override public String[] channels() { return new String[] {"m/x holding:0 int16"}; }
            }, Clock.systemUTC());
            try {
                start(config(port, "p/f holding:0 float32"));
                await("the mute peer's device offline", () -> hung.device().status().state() == DeviceState.OFFLINE);
                assertThat(hung.device().status().message()).contains("127.0.0.1:" + mute.getLocalPort()).containsIgnoringCase("timeout");
                int from = sink.batches().size();
                long hungErrors = hung.device().counters().errors();
                await("two more timeouts of the mute peer", () -> hung.device().counters().errors() >= hungErrors + 2);
                List<SampleBatch> during = sink.batches().subList(from, sink.batches().size());
                long widest = 0;
                for (int i = 1; i < during.size(); i++) {
                    widest = Math.max(widest, during.get(i).samples().get(0).sourceTimeMicros() - during.get(i - 1).samples().get(0).sourceTimeMicros());
                }
                // the healthy device polls every 50 ms while the mute one waits 1.5 s per request
                assertThat(during).hasSizeGreaterThan(20);
                assertThat(widest).as("widest gap between the healthy device's polls, µs").isLessThan(750_000);
                assertThat(device.status().state()).isEqualTo(DeviceState.ONLINE);
                assertThat(hungSink.batches()).isEmpty();
            } finally {
                hung.deactivate();
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
            assertThat(hung.device().status().state()).isEqualTo(DeviceState.STOPPED);
        }
    }

    @Test
    void serialSettingsAreCheckedAndAMissingPortIsReportedOffline() throws Exception {
        class Rtu implements ModbusRtuDevice.Config {
            final String port;
            final String parity;

            Rtu(String port, String parity) {
                this.port = port;
                this.parity = parity;
            }

            @Override public Class<? extends Annotation> annotationType() { return ModbusRtuDevice.Config.class; }
            @Override public String deviceId() { return "bus1"; }
            @Override public String serialPort() { return port; }
            @Override public int baudRate() { return 19200; }
            @Override public int dataBits() { return 8; }
            @Override public String parity() { return parity; }
            @Override public int stopBits() { return 1; }
            @Override public int unitId() { return 3; }
            @Override public int pollIntervalMs() { return 50; }
            @Override public int timeoutMs() { return 200; }
            @Override public int reconnectMinMs() { return 50; }
            @Override public int reconnectMaxMs() { return 100; }
            @Override public int maxGap() { return 8; }
            @Override public String[] channels() { return new String[] {"b/x holding:0 int16"}; }
        }
        assertThatThrownBy(() -> new ModbusRtuDevice(null, sink, new Rtu("/dev/ttyUSB0", "mark"), Clock.systemUTC()))
                .hasMessage("configuration io.millwright.driver.modbus.rtu of device 'bus1': parity=mark: must be one of none, even, odd");
        ModbusRtuDevice rtu = new ModbusRtuDevice(null, sink, new Rtu("/dev/ttyMillwrightNone", "even"), Clock.systemUTC());
        try {
            Device d = rtu.device();
            await("offline", () -> d.status().state() == DeviceState.OFFLINE);
            assertThat(d.status().message()).contains("/dev/ttyMillwrightNone 19200 8E1");
        } finally {
            rtu.deactivate();
        }
    }
}
