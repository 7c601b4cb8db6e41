package io.millwright.itests;

import static io.millwright.itests.FrameworkChecks.assertSequencesContinue;
import static io.millwright.itests.FrameworkChecks.await;
import static io.millwright.itests.FrameworkChecks.bundle;
import static io.millwright.itests.FrameworkChecks.device;
import static io.millwright.itests.FrameworkChecks.drain;
import static io.millwright.itests.FrameworkChecks.liveHistogram;
import static io.millwright.itests.FrameworkChecks.threadsByName;
import static org.assertj.core.api.Assertions.assertThat;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceState;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The PLC4X driver in the distribution's Felix framework, through PLC4X's own modbus-tcp driver bundle (found as a
 * {@code PlcDriver} service), against a j2mod TCP slave on 127.0.0.1, one scenario per test: values reach the journal,
 * writes land in the slave, the device follows its peer OFFLINE and back, survives updates of both the PLC4X protocol
 * bundle and our driver bundle, takes a configuration change while live — sequences continuing throughout — and 200
 * reconnects leave no threads or live objects behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class Plc4xIT {

    private static final ChannelId PRESSURE = ChannelId.parse("line-4/pressure");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ModbusSlave slave(int port, SimpleProcessImage image) throws Exception {
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
        return slave;
    }

    private org.osgi.service.cm.Configuration configure(String name, String deviceId, int port, int pollMs, int reconnectMinMs,
            int reconnectMaxMs) throws IOException {
        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.millwright.driver.plc4x", name, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("deviceId", deviceId);
        props.put("connectionString", "modbus-tcp://127.0.0.1:" + port + "?default-unit-identifier=1&request-timeout=1000");
        props.put("pollIntervalMs", pollMs);
        props.put("timeoutMs", 1000);
        props.put("reconnectMinMs", reconnectMinMs);
        props.put("reconnectMaxMs", reconnectMaxMs);
        props.put("channels", new String[] {"line-4/pressure holding-register:1:UINT scale=0.01 unit=bar",
            "line-4/speed_setpoint holding-register:2:UINT type=long unit=rpm min=0 max=3000 writable"});
        config.update(props);
        return config;
    }

    private Path jar(String bsn) {
        return DistributionBundles.jarsBySymbolicName(Path.of(System.getProperty("millwright.bundles"))).get(bsn);
    }

    private void update(String bsn) throws Exception {
        Bundle b = bundle(context, bsn);
        try (InputStream in = Files.newInputStream(jar(bsn))) {
            b.update(in);
        }
    }

    private int port;
    private SimpleProcessImage image;
    private org.osgi.service.cm.Configuration itConfig;
    private JournalCursor cursor;
    private final List<Sample> seen = new ArrayList<>();

    /** Each scenario starts with a slave, a device on it (ONLINE) and a journal reader from now on; ends with {@link #removeDevice()}. */
    private void deviceOnASlave() throws Exception {
        port = freePort();
        image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415)); // pressure ×0.01 bar
        image.addRegister(new SimpleRegister(1200)); // setpoint rpm
        slave(port, image);
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        cursor = journal.openCursor("it-plc4x", StartAt.LATEST);
        itConfig = configure("it", "plc4x-it", port, 100, 100, 400);
        await("device ONLINE", () -> device(context, "plc4x-it") != null && device(context, "plc4x-it").status().state() == DeviceState.ONLINE);
    }

    private void removeDevice() throws Exception {
        try {
            itConfig.delete();
            await("device gone with its configuration", () -> device(context, "plc4x-it") == null);
        } finally {
            cursor.close();
            ModbusSlaveFactory.close();
        }
    }

    private void awaitPressure(int more) throws InterruptedException {
        int before = seen.size();
        await(more + " more pressure samples in the journal", () -> seen.addAll(drain(cursor, PRESSURE)) && seen.size() >= before + more);
    }

    @Test
    public void aDeviceThroughPlc4xFeedsTheJournalWithScaledValues() throws Exception {
        deviceOnASlave();
        try {
            awaitPressure(3);
            assertThat(seen).allSatisfy(x -> assertThat(x.value().asDouble()).isEqualTo(4.15));
            assertSequencesContinue(seen, "polls");
        } finally {
            removeDevice();
        }
    }

    @Test
    public void aWriteLandsInTheSlave() throws Exception {
        deviceOnASlave();
        try {
            assertThat(device(context, "plc4x-it").write(ChannelId.parse("line-4/speed_setpoint"), Value.of(1450L)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).accepted()).isTrue();
            assertThat(image.getRegister(1).getValue()).isEqualTo(1450);
        } finally {
            removeDevice();
        }
    }

    @Test
    public void theDeviceGoesOfflineWithItsPeerAndBackOnlineWithSequencesIntact() throws Exception {
        deviceOnASlave();
        try {
            awaitPressure(2);
            ModbusSlaveFactory.close();
            await("OFFLINE when the slave stops", () -> device(context, "plc4x-it").status().state() == DeviceState.OFFLINE);
            slave(port, image);
            await("ONLINE when it returns", () -> device(context, "plc4x-it").status().state() == DeviceState.ONLINE);
            awaitPressure(3);
            assertSequencesContinue(seen, "the outage");
        } finally {
            removeDevice();
        }
    }

    @Test
    public void updatesOfPlc4xsProtocolBundleAndOfOurDriverLeaveTheSpineRunningAndSequencesContinue() throws Exception {
        deviceOnASlave();
        try {
            awaitPressure(2);
            long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
            update("org.apache.plc4x.plc4j-driver-modbus"); // PLC4X's protocol bundle: the PlcDriver service goes and comes back
            awaitPressure(3);
            update("io.millwright.driver.plc4x"); // our bundle
            awaitPressure(3);
            assertSequencesContinue(seen, "both updates");
            assertThat(context.getServiceReference(Journal.class).getProperty("service.id")).as("journal untouched").isEqualTo(journalService);
            assertThat(device(context, "sim").status().state()).as("the simulated plant kept running").isEqualTo(DeviceState.ONLINE);
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("plc4x-io-plc4x-it")).count())
                    .as("one lane after the updates").isEqualTo(1);
        } finally {
            removeDevice();
        }
    }

    @Test
    public void aConfigurationChangeOnTheLiveDeviceTakesEffectAndTheDataPathContinues() throws Exception {
        int port = freePort();
        SimpleProcessImage image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415));
        image.addRegister(new SimpleRegister(1200));
        image.addRegister(new SimpleRegister(77)); // a third register, read once the configuration names it
        slave(port, image);
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        JournalCursor cursor = journal.openCursor("it-plc4x-change", StartAt.LATEST);
        try {
            org.osgi.service.cm.Configuration config = configure("change", "plc4x-change", port, 100, 100, 400);
            await("device ONLINE", () -> device(context, "plc4x-change") != null
                    && device(context, "plc4x-change").status().state() == DeviceState.ONLINE);
            List<Sample> pressure = new ArrayList<>();
            await("pressure in the journal", () -> {
                List<Sample> all = new ArrayList<>();
                FrameworkChecks.drainAll(cursor, all);
                all.stream().filter(x -> x.channel().equals(PRESSURE)).forEach(pressure::add);
                return pressure.size() >= 2;
            });
            Hashtable<String, Object> props = new Hashtable<>();
            java.util.Collections.list(config.getProperties().keys()).forEach(k -> props.put(k, config.getProperties().get(k)));
            props.put("channels", new String[] {"line-4/pressure holding-register:1:UINT scale=0.01 unit=bar",
                "line-4/speed_setpoint holding-register:2:UINT type=long unit=rpm min=0 max=3000 writable",
                "line-4/strokes holding-register:3:UINT type=long"});
            props.put("pollIntervalMs", 50);
            config.update(props);
            List<Sample> strokes = new ArrayList<>();
            await("the added channel in the journal, pressure on", () -> {
                List<Sample> all = new ArrayList<>();
                FrameworkChecks.drainAll(cursor, all);
                for (Sample x : all) {
                    if (x.channel().equals(PRESSURE)) {
                        pressure.add(x);
                    } else if (x.channel().toString().equals("line-4/strokes")) {
                        strokes.add(x);
                    }
                }
                return strokes.size() >= 2;
            });
            assertThat(strokes).allSatisfy(x -> assertThat(x.value().asDouble()).isEqualTo(77.0));
            int n = pressure.size();
            await("pressure after the change", () -> {
                List<Sample> all = new ArrayList<>();
                FrameworkChecks.drainAll(cursor, all);
                all.stream().filter(x -> x.channel().equals(PRESSURE)).forEach(pressure::add);
                return pressure.size() >= n + 2;
            });
            for (int i = 1; i < pressure.size(); i++) {
                assertThat(pressure.get(i).sequence()).as("pressure sequence continues across the configuration change")
                        .isEqualTo(pressure.get(i - 1).sequence() + 1);
            }
            config.delete();
            await("device gone with its configuration", () -> device(context, "plc4x-change") == null);
        } finally {
            cursor.close();
            ModbusSlaveFactory.close();
        }
    }

    @Test
    public void twoHundredReconnectCyclesLeaveNoThreadsAndNoRetainedHeapBehind() throws Exception {
        int port = freePort();
        SimpleProcessImage image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415));
        image.addRegister(new SimpleRegister(0));
        slave(port, image);
        try (CuttableLink link = new CuttableLink(port)) {
            // Compared in two quiet states, each after the device was removed and PLC4X's event loops wound down:
            // after a warm-up device (20 cuts: classes loaded, caches filled) and after a second device (200 cuts).
            // In-flight requests of a running device cannot blur the comparison this way.
            runDevice("warm-up", link, 20, false);
            Map<String, Long> threadsBefore = threadsByName();
            Map<String, long[]> heapBefore = liveHistogram();
            runDevice("cycles", link, 200, true);
            Map<String, Long> threadsAfter = threadsByName();
            Map<String, long[]> heapAfter = liveHistogram();

            long total = threadsAfter.values().stream().mapToLong(Long::longValue).sum();
            long totalBefore = threadsBefore.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("live threads after 200 reconnects; before: " + threadsBefore + "; after: " + threadsAfter)
                    .isLessThanOrEqualTo(totalBefore + 2);
            assertThat(threadsAfter.keySet()).as("no thread of the removed device left").noneMatch(Plc4xIT::deviceThread);
            for (String cls : heapAfter.keySet()) {
                if (cls.startsWith("org.apache.plc4x") || cls.startsWith("io.millwright.driver.plc4x") || cls.startsWith("io.netty.channel")
                        || cls.equals("sun.nio.ch.SocketChannelImpl")) {
                    long before = heapBefore.getOrDefault(cls, new long[2])[0];
                    assertThat(heapAfter.get(cls)[0]).as("live instances of " + cls + " after 200 reconnects (before: " + before + ")")
                            .isLessThanOrEqualTo(before + 2);
                }
            }
        } finally {
            ModbusSlaveFactory.close();
        }
    }

    /** Runs a device through the relay for {@code cuts} cut connections, then removes it and lets its closes finish. */
    private void runDevice(String name, CuttableLink link, int cuts, boolean checkLane) throws Exception {
        // reconnect pacing a plant would use at its fastest: PLC4X's close waits ~2 s for its event loop to wind down
        org.osgi.service.cm.Configuration config = configure(name, "plc4x-" + name, link.port(), 20, 200, 300);
        await("device ONLINE", () -> device(context, "plc4x-" + name) != null
                && device(context, "plc4x-" + name).status().state() == DeviceState.ONLINE);
        Device device = device(context, "plc4x-" + name);
        cycles(link, device, cuts);
        if (checkLane) {
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("plc4x-io-plc4x-" + name)).count())
                    .as("one lane after " + cuts + " reconnects").isEqualTo(1);
            assertThat(device.status().state()).isEqualTo(DeviceState.ONLINE);
        }
        config.delete();
        await("device gone", () -> device(context, "plc4x-" + name) == null);
        settle();
    }

    private static boolean deviceThread(String name) {
        return name.startsWith("plc#x-io-") || name.startsWith("plc#x-call-") || name.startsWith("plc#x-close-");
    }

    /** Waits until no thread of a device is left and the threads by name stop changing (event loops wound down). */
    private static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Long> last = null;
        while (true) {
            Map<String, Long> now = threadsByName();
            if (now.equals(last) && now.keySet().stream().noneMatch(Plc4xIT::deviceThread)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder stacks = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (deviceThread(t.getName().replaceAll("\\d+", "#"))) {
                        stacks.append("\n").append(t.getName()).append(' ').append(t.getState());
                        for (StackTraceElement e : st) {
                            stacks.append("\n  at ").append(e);
                        }
                    }
                });
                throw new AssertionError("threads still changing after 60 s: " + now + stacks);
            }
            last = now;
            Thread.sleep(1000);
        }
    }

    /** Cuts the connection {@code n} times, each time waiting for the error and for polls on a new connection. */
    private static void cycles(CuttableLink link, Device device, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            long errors = device.counters().errors();
            link.cut();
            await("cycle " + i + ": the cut seen", () -> device.counters().errors() > errors);
            long polls = device.counters().polls();
            await("cycle " + i + ": polls again", () -> device.counters().polls() >= polls + 2 && device.status().state() == DeviceState.ONLINE);
        }
    }
}
