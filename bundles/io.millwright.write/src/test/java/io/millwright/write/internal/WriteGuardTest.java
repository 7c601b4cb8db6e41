package io.millwright.write.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.millwright.api.ChannelId;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.file.AuditFile;
import io.millwright.driver.api.Device;
import io.millwright.driver.modbus.internal.ModbusTcpDevice;
import io.millwright.driver.opcua.internal.OpcUaDevice;
import io.millwright.driver.opcua.testserver.OpcUaTestServer;
import io.millwright.identity.api.Role;
import io.millwright.testing.Await;
import io.millwright.testing.CollectingSink;
import io.millwright.write.api.Interlock;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.write.api.WriteStatus;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write guard in front of the real Modbus driver (a j2mod slave on 127.0.0.1) and the real OPC UA driver (an Eclipse
 * Milo server on 127.0.0.1), with a real audit trail on disk. The twin is the drivers' samples as the twin would report
 * them (canonical units, operating state and alarms as the test sets them).
 */
class WriteGuardTest {

    @TempDir
    Path dir;
    private int port;
    private SimpleProcessImage image;
    private ModbusTcpDevice modbus;
    private OpcUaTestServer uaServer;
    private OpcUaDevice ua;
    private final CollectingSink sink = new CollectingSink();
    private final TestPlant plant = new TestPlant();
    private AuditFile audit;
    private ScheduledExecutorService scheduler;
    private Guard guard;

    /** The j2mod slave's register 1 is a device that holds its setpoint at no more than 1200 rpm, whatever is written. */
    private static final class ClampedRegister extends SimpleRegister {
        ClampedRegister(int v) {
            super(v);
        }

        @Override
        public synchronized void setValue(int v) {
            super.setValue(Math.min(v, 12_000));
        }
    }

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(14_800)); // 1480.0 rpm at scale 0.1
        image.addRegister(new ClampedRegister(10_000));
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
        modbus = new ModbusTcpDevice(null, sink, modbusConfig(port, "pump-1/speed_setpoint holding:0 uint16 scale=0.1 unit=rpm min=0 max=3000 writable",
                "pump-1/limited_setpoint holding:1 uint16 scale=0.1 unit=rpm min=0 max=3000 writable"));
        plant.device(modbus.asDevice());
        plant.tag("pump-1", new AssetTag("speed_setpoint", ChannelId.parse("pump-1/speed_setpoint"), "rpm", "rpm", 1, 0, 0, 3000, 50, "", true));
        plant.tag("pump-1", new AssetTag("limited_setpoint", ChannelId.parse("pump-1/limited_setpoint"), "rpm", "rpm", 1, 0, 0, 3000, 50, "",
                true));
        audit = AuditFile.open(dir.resolve("audit.log"));
        scheduler = Executors.newSingleThreadScheduledExecutor();
        guard = new Guard(plant, audit, Clock.systemUTC(), scheduler, Duration.ofMinutes(15));
        Await.until("first Modbus poll", Duration.ofSeconds(10), () -> sink.latest("pump-1/speed_setpoint") != null);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        if (modbus != null) {
            modbus.deactivate();
        }
        if (ua != null) {
            ua.deactivate();
        }
        if (uaServer != null) {
            uaServer.close();
        }
        ModbusSlaveFactory.close();
    }

    private static WritePolicy policy(String tag, Role role, double maxStep, double perMinute, int requests, boolean approval,
            String... interlocks) {
        return new WritePolicy("pump-1", tag, role, 0, 1800, maxStep, perMinute, requests, List.of(interlocks).stream().map(Interlock::parse).toList(),
                Duration.ofSeconds(3), 0.5, approval);
    }

    private void policies(WritePolicy... ps) {
        Map<String, WritePolicy> m = new HashMap<>();
        for (WritePolicy p : ps) {
            m.put(p.target(), p);
        }
        guard.policies(m, Map.of());
    }

    private static WriteRequest request(String tag, double value, String actor, Role role) {
        return new WriteRequest("pump-1", tag, value, actor, actor, role, "web", "127.0.0.1", false, "test");
    }

    private int register(int i) {
        return image.getRegister(i).getValue();
    }

    private List<AuditEntry> trail() {
        return audit.read(1, 1000);
    }

    @Test
    void aWritePassingEveryRuleLandsInTheSlaveIsConfirmedByReadBackAndAuditedWithBeforeAndAfter() throws Exception {
        policies(policy("speed_setpoint", Role.OPERATOR, 150, 300, 6, false, "running", "no-alarm-priority<=1", "not-in-maintenance", "fresh"));
        WriteRecord sent = guard.submit(request("speed_setpoint", 1550, "olivia", Role.OPERATOR));
        assertThat(sent.status()).as(sent.message()).isEqualTo(WriteStatus.PENDING);
        assertThat(sent.before()).isEqualTo(1480.0);
        assertThat(register(0)).isEqualTo(15_500);
        assertThat(plant.desired("speed_setpoint")).extracting(Twin.Desired::status).isEqualTo("pending");

        WriteRecord done = guard.await(sent.id(), Duration.ofSeconds(5));
        assertThat(done.status()).as(done.message()).isEqualTo(WriteStatus.CONFIRMED);
        assertThat(done.readBack()).isEqualTo(1550.0);
        assertThat(plant.desired("speed_setpoint")).satisfies(d -> {
            assertThat(d.status()).isEqualTo("confirmed");
            assertThat(d.by()).isEqualTo("olivia");
        });
        List<AuditEntry> trail = trail();
        assertThat(trail).extracting(e -> e.event().action()).containsExactly("write.request", "write.result");
        assertThat(trail.get(0).event().actor()).isEqualTo("olivia");
        assertThat(trail.get(0).event().before()).containsEntry("value", "1480.0");
        assertThat(trail.get(0).event().after()).containsEntry("value", "1550.0");
        assertThat(trail.get(1).event().result()).isEqualTo("ok");
        assertThat(trail.get(1).event().after()).containsEntry("value", "1550.0");
    }

    @Test
    void everyRuleRefusesWithItsNameAndMessageAndNothingIsWritten() throws Exception {
        // no policy at all
        assertRefused(request("speed_setpoint", 1500, "olivia", Role.OPERATOR), "policy", "has no write policy");
        policies(policy("speed_setpoint", Role.ENGINEER, 150, 200, 2, false, "not-in-maintenance", "running", "no-alarm-priority<=1", "fresh"),
                new WritePolicy("pump-1", "speed", Role.OPERATOR, 0, 1800, 0, 0, 0, List.of(), Duration.ofSeconds(1), 1, false));
        plant.tag("pump-1", new AssetTag("speed", ChannelId.parse("pump-1/speed"), "rpm", "rpm", 1, 0, 0, 3000, 50, "", false));
        assertRefused(request("speed", 1500, "erin", Role.ENGINEER), "writable", "is not writable");
        assertRefused(request("speed_setpoint", 1500, "olivia", Role.OPERATOR), "role", "olivia (operator) may not write pump-1/speed_setpoint: needs engineer");
        assertRefused(request("speed_setpoint", 1900, "erin", Role.ENGINEER), "bounds", "1900 rpm is outside pump-1/speed_setpoint's bounds 0 to 1800 rpm");
        assertRefused(request("speed_setpoint", Double.NaN, "erin", Role.ENGINEER), "bounds", "NaN");
        assertRefused(request("speed_setpoint", 1700, "erin", Role.ENGINEER), "max-step", "a step of 220 rpm from 1480 rpm exceeds the maximum step of 150 rpm");

        plant.state = OperatingState.IDLE;
        assertRefused(request("speed_setpoint", 1500, "erin", Role.ENGINEER), "interlock:running", "pump-1 is IDLE; writes need RUNNING");
        plant.state = OperatingState.RUNNING;
        plant.alarms = Map.of(1, 1);
        assertRefused(request("speed_setpoint", 1500, "erin", Role.ENGINEER), "interlock:no-alarm-priority<=1", "1 annunciated alarm of priority 1");
        plant.alarms = Map.of(2, 3);
        plant.maintenance = true;
        assertRefused(request("speed_setpoint", 1500, "erin", Role.ENGINEER), "interlock:not-in-maintenance", "pump-1 is in maintenance");
        plant.maintenance = false;
        plant.stale = true;
        assertRefused(request("speed_setpoint", 1500, "erin", Role.ENGINEER), "interlock:fresh", "speed_setpoint is stale");
        plant.stale = false;
        assertThat(register(0)).as("nothing written by a refused request").isEqualTo(14_800);

        // the rate of change and of requests: two writes pass (100 + 100 rpm), the third would exceed 200 rpm per minute
        assertThat(guard.await(guard.submit(request("speed_setpoint", 1580, "erin", Role.ENGINEER)).id(), Duration.ofSeconds(5)).status())
                .isEqualTo(WriteStatus.CONFIRMED);
        assertThat(guard.await(guard.submit(request("speed_setpoint", 1480, "erin", Role.ENGINEER)).id(), Duration.ofSeconds(5)).status())
                .isEqualTo(WriteStatus.CONFIRMED);
        assertRefused(request("speed_setpoint", 1500, "erin", Role.ENGINEER), "max-rate",
                "changes of 200 rpm within the last minute plus this 20 rpm exceed 200 rpm per minute");
        policies(policy("speed_setpoint", Role.ENGINEER, 150, 0, 2, false));
        assertRefused(request("speed_setpoint", 1500, "erin", Role.ENGINEER), "max-requests", "2 writes to pump-1/speed_setpoint within the last minute: at most 2");
        assertThat(register(0)).isEqualTo(14_800);

        List<AuditEntry> refusals = trail().stream().filter(e -> e.event().result().equals("refused")).toList();
        assertThat(refusals).hasSize(12).allSatisfy(e -> {
            assertThat(e.event().action()).isEqualTo("write.request");
            assertThat(e.event().target()).startsWith("pump-1/");
        });
        assertThat(refusals.get(3).event().detail()).startsWith("bounds: 1900 rpm");
        assertThat(refusals.get(3).event().after()).containsEntry("value", "1900.0");
    }

    private void assertRefused(WriteRequest r, String rule, String message) {
        WriteRecord rec = guard.submit(r);
        assertThat(rec.status()).as(rec.message()).isEqualTo(WriteStatus.REFUSED);
        assertThat(rec.rule()).isEqualTo(rule);
        assertThat(rec.message()).contains(message);
    }

    @Test
    void aDryRunChecksEveryRuleAndWritesNothing() throws Exception {
        policies(policy("speed_setpoint", Role.OPERATOR, 150, 0, 6, false, "running"));
        WriteRecord checked = guard.submit(new WriteRequest("pump-1", "speed_setpoint", 1600, "olivia", "olivia", Role.OPERATOR, "web", "", true, "what if"));
        assertThat(checked.status()).isEqualTo(WriteStatus.CHECKED);
        assertThat(checked.message()).isEqualTo("dry run: every rule passes; would write 1600 rpm to pump-1/speed_setpoint");
        WriteRecord refused = guard.submit(new WriteRequest("pump-1", "speed_setpoint", 1700, "olivia", "olivia", Role.OPERATOR, "web", "", true, ""));
        assertThat(refused.rule()).isEqualTo("max-step");
        Thread.sleep(300);
        assertThat(register(0)).isEqualTo(14_800);
        assertThat(trail()).extracting(e -> e.event().action() + " " + e.event().result()).containsExactly("write.dry-run ok", "write.request refused");
    }

    @Test
    void twoPersonApprovalAnOperatorAsksAnotherEngineerApprovesAndTheRulesAreCheckedAgain() throws Exception {
        policies(policy("speed_setpoint", Role.OPERATOR, 150, 0, 6, true, "running"));
        WriteRecord asked = guard.submit(request("speed_setpoint", 1550, "olivia", Role.OPERATOR));
        assertThat(asked.status()).isEqualTo(WriteStatus.AWAITING_APPROVAL);
        assertThat(plant.desired("speed_setpoint").status()).isEqualTo("awaiting-approval");
        Thread.sleep(200);
        assertThat(register(0)).as("nothing written before the approval").isEqualTo(14_800);

        assertThatThrownBy(() -> guard.approve(asked.id(), "oscar", "oscar", Role.OPERATOR, "")).isInstanceOf(SecurityException.class)
                .hasMessage("oscar (operator) may not approve pump-1/speed_setpoint: needs engineer");
        assertThatThrownBy(() -> guard.approve(asked.id(), "token:0a1b2c3d4e5f", "olivia", Role.ADMIN, "")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("two-person rule: olivia requested this write");
        WriteRecord approved = guard.approve(asked.id(), "erin", "erin", Role.ENGINEER, "checked with the shift lead");
        assertThat(approved.status()).as(approved.message()).isEqualTo(WriteStatus.PENDING);
        WriteRecord done = guard.await(asked.id(), Duration.ofSeconds(5));
        assertThat(done.status()).isEqualTo(WriteStatus.CONFIRMED);
        assertThat(done.approvedBy()).isEqualTo("erin");
        assertThat(register(0)).isEqualTo(15_500);
        assertThat(plant.desired("speed_setpoint").by()).isEqualTo("olivia, approved by erin");
        assertThatThrownBy(() -> guard.approve(asked.id(), "erin", "erin", Role.ENGINEER, "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is confirmed, not awaiting approval");

        // the state changed while the request waited: the approval checks again and refuses, naming the interlock
        WriteRecord second = guard.submit(request("speed_setpoint", 1600, "olivia", Role.OPERATOR));
        plant.state = OperatingState.TRIPPED;
        WriteRecord refused = guard.approve(second.id(), "erin", "erin", Role.ENGINEER, "");
        assertThat(refused.status()).isEqualTo(WriteStatus.REFUSED);
        assertThat(refused.rule()).isEqualTo("interlock:running");
        // a rejection
        plant.state = OperatingState.RUNNING;
        WriteRecord third = guard.submit(request("speed_setpoint", 1600, "olivia", Role.OPERATOR));
        assertThat(guard.reject(third.id(), "erin", "erin", Role.ENGINEER, "not during the night shift").status()).isEqualTo(WriteStatus.REJECTED);
        assertThat(register(0)).isEqualTo(15_500);

        assertThat(trail()).extracting(e -> e.event().actor() + " " + e.event().action() + " " + e.event().result()).containsExactly(
                "olivia write.request ok", "oscar write.approve refused", "token:0a1b2c3d4e5f write.approve refused", "erin write.approve ok",
                "olivia write.result ok", "erin write.approve refused", "olivia write.request ok", "erin write.approve refused",
                "olivia write.request ok", "erin write.reject ok");
    }

    @Test
    void aDeviceThatHoldsAnotherValueIsReportedAsAReadBackMismatch() throws Exception {
        policies(policy("limited_setpoint", Role.OPERATOR, 0, 0, 0, false));
        WriteRecord sent = guard.submit(request("limited_setpoint", 1500, "olivia", Role.OPERATOR));
        assertThat(sent.status()).as(sent.message()).isEqualTo(WriteStatus.PENDING);
        WriteRecord done = guard.await(sent.id(), Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo(WriteStatus.MISMATCH);
        assertThat(done.rule()).isEqualTo("read-back");
        assertThat(done.message()).contains("reports 1200 rpm for pump-1/limited_setpoint within 3000 ms of the write of 1500 rpm");
        assertThat(done.readBack()).isEqualTo(1200.0);
        AuditEntry result = trail().get(trail().size() - 1);
        assertThat(result.event().action()).isEqualTo("write.result");
        assertThat(result.event().result()).isEqualTo("failed");
        assertThat(result.event().detail()).startsWith("mismatch: ");
    }

    @Test
    void theGuardWritesThroughTheOpcUaDriverToAMiloServerInTheTagsDeviceUnit() throws Exception {
        int uaPort;
        try (ServerSocket s = new ServerSocket(0)) {
            uaPort = s.getLocalPort();
        }
        uaServer = OpcUaTestServer.acceptingAnyClient(uaPort);
        uaServer.set("Setpoint", 6.0);
        ua = new OpcUaDevice(null, sink, uaConfig(uaServer.url(), dir.resolve("pki"), "line-1/flow_setpoint ns=2;s=Setpoint unit=m3/min min=0 max=20 writable"));
        plant.device(ua);
        // the asset's canonical unit is m3/h; the device speaks m3/min
        plant.tag("pump-1", new AssetTag("flow_setpoint", ChannelId.parse("line-1/flow_setpoint"), "m3/h", "m3/min", 60, 0, 0, 1200, 50, "", true));
        Await.until("first OPC UA value", Duration.ofSeconds(20), () -> sink.latest("line-1/flow_setpoint") != null);
        guard.policies(Map.of("pump-1/flow_setpoint", new WritePolicy("pump-1", "flow_setpoint", Role.OPERATOR, 0, 600, 300, 0, 0, List.of(),
                Duration.ofSeconds(5), 0.5, false)), Map.of());
        WriteRecord sent = guard.submit(request("flow_setpoint", 450, "olivia", Role.OPERATOR));
        assertThat(sent.status()).as(sent.message()).isEqualTo(WriteStatus.PENDING);
        assertThat(sent.before()).isEqualTo(360.0);
        assertThat(sent.deviceValue()).isEqualTo(7.5);
        assertThat(uaServer.get("Setpoint")).isEqualTo(7.5);
        WriteRecord done = guard.await(sent.id(), Duration.ofSeconds(10));
        assertThat(done.status()).as(done.message()).isEqualTo(WriteStatus.CONFIRMED);
        assertThat(done.readBack()).isEqualTo(450.0);
        assertRefused(request("flow_setpoint", 900, "olivia", Role.OPERATOR), "bounds", "900 m3/h is outside pump-1/flow_setpoint's bounds 0 to 600 m3/h");
        assertThat(uaServer.get("Setpoint")).isEqualTo(7.5);
    }

    @Test
    void aDeviceThatRefusesMakesTheWriteFailedAndFreesTheTag() throws Exception {
        plant.tag("pump-1", new AssetTag("speed_setpoint", ChannelId.parse("pump-1/speed_setpoint"), "rpm", "rpm", 1, 0, 0, 5000, 50, "", true));
        policies(new WritePolicy("pump-1", "speed_setpoint", Role.OPERATOR, 0, 4000, 0, 0, 0, List.of(), Duration.ofSeconds(1), 0.5, false));
        // the driver's own channel range is 0-3000 rpm: it refuses 3500
        WriteRecord failed = guard.submit(request("speed_setpoint", 3500, "olivia", Role.OPERATOR));
        assertThat(failed.status()).isEqualTo(WriteStatus.FAILED);
        assertThat(failed.message()).contains("plc1 refused 3500 rpm for pump-1/speed_setpoint");
        assertThat(plant.desired("speed_setpoint").status()).isEqualTo("failed");
        WriteRecord next = guard.submit(request("speed_setpoint", 1500, "olivia", Role.OPERATOR));
        assertThat(guard.await(next.id(), Duration.ofSeconds(5)).status()).isEqualTo(WriteStatus.CONFIRMED);
        assertThat(trail()).extracting(e -> e.event().action() + " " + e.event().result()).containsExactly(
                "write.request ok", "write.request failed", "write.request ok", "write.result ok");
    }

    // ---- the plant as the guard sees it: real devices, a twin from their samples ----

    private final class TestPlant implements Plant {
        final Map<String, AssetTag> tags = new HashMap<>();
        final List<Device> devices = new CopyOnWriteArrayList<>();
        final Map<String, Twin.Desired> desired = new HashMap<>();
        volatile OperatingState state = OperatingState.RUNNING;
        volatile Map<Integer, Integer> alarms = Map.of();
        volatile boolean maintenance;
        volatile boolean stale;

        void tag(String asset, AssetTag t) {
            tags.put(asset + "/" + t.name(), t);
        }

        void device(Device d) {
            devices.add(d);
        }

        synchronized Twin.Desired desired(String tag) {
            return desired.get(tag);
        }

        @Override
        public Optional<AssetTag> tag(String asset, String tag) {
            return Optional.ofNullable(tags.get(asset + "/" + tag));
        }

        @Override
        public Optional<Twin> twin(String asset) {
            List<Twin.Reported> reported = new ArrayList<>();
            for (AssetTag t : tags.values()) {
                Sample s = sink.latest(t.source().toString());
                if (s != null) {
                    reported.add(new Twin.Reported(t.name(), t.toCanonical(s.value().asDouble()), "", t.unit(),
                            s.quality().level() == QualityLevel.GOOD ? "GOOD" : s.quality().level().name(), "", s.sourceTimeMicros() / 1000, stale));
                }
            }
            Twin.Health health = new Twin.Health(1, List.of(), List.of(), alarms, Double.NaN, "", "", "");
            Twin.Maintenance m = maintenance ? new Twin.Maintenance(1, 0, "mia", "bearing", "", "") : null;
            return Optional.of(new Twin(asset, reported, List.of(), maintenance ? OperatingState.MAINTENANCE : state, 0, health, m, null, 0));
        }

        @Override
        public Optional<Device> device(ChannelId source) {
            return devices.stream().filter(d -> d.channels().stream().anyMatch(c -> c.id().equals(source))).findFirst();
        }

        @Override
        public synchronized void desire(String asset, Twin.Desired d) {
            desired.put(d.tag(), d);
        }
    }

    private static ModbusTcpDevice.Config modbusConfig(int port, String... channels) {
        return new ModbusTcpDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return ModbusTcpDevice.Config.class; }
            @Override public String deviceId() { return "plc1"; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public int port() { return port; }
            @Override public String framing() { return "tcp"; }
            @Override public int unitId() { return 1; }
            @Override public int pollIntervalMs() { return 50; }
            @Override public int timeoutMs() { return 500; }
            @Override public int reconnectMinMs() { return 50; }
            @Override public int reconnectMaxMs() { return 200; }
            @Override public int maxGap() { return 8; }
            @Override public String[] channels() { return channels; }
        };
    }

    private static OpcUaDevice.Config uaConfig(String url, Path pki, String... channels) {
        return new OpcUaDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return OpcUaDevice.Config.class; }
            @Override public String deviceId() { return "ua1"; }
            @Override public String endpointUrl() { return url; }
            @Override public String securityPolicy() { return "None"; }
            @Override public String securityMode() { return "None"; }
            @Override public String username() { return ""; }
            @Override public String _password() { return ""; }
            @Override public String mode() { return "subscription"; }
            @Override public int publishingIntervalMs() { return 50; }
            @Override public int samplingIntervalMs() { return 20; }
            @Override public int queueSize() { return 10; }
            @Override public int pollIntervalMs() { return 50; }
            @Override public int timeoutMs() { return 2000; }
            @Override public int reconnectMinMs() { return 50; }
            @Override public int reconnectMaxMs() { return 200; }
            @Override public String pkiDirectory() { return pki.toString(); }
            @Override public String[] channels() { return channels; }
        };
    }
}
