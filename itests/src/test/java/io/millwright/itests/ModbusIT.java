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
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Modbus driver in the distribution's Felix framework against a j2mod TCP slave on 127.0.0.1, one scenario per
 * test on a device configured before each: values reach the journal, a write lands in the slave, the device goes
 * OFFLINE and back ONLINE with the slave, an update of the driver bundle leaves the simulated plant and the journal
 * running, a configuration change on the live device (a channel added, a faster poll) takes effect — each with the
 * channels' sequences continuing; 200 reconnect cycles leave nothing behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModbusIT {

    private static final ChannelId PRESSURE = ChannelId.parse("line-1/pressure");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    /** A j2mod slave on a free port with pressure 4.15 bar (×0.01) and a setpoint of 1200 rpm. */
    private int port;
    private SimpleProcessImage image;
    private org.osgi.service.cm.Configuration config;
    private Hashtable<String, Object> props;
    private JournalCursor cursor;

    /** Before each scenario: the slave, a device configured for it (ONLINE), a journal reader from now on. */
    @org.junit.Before
    public void deviceOnASlave() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415)); // pressure ×0.01 bar
        image.addRegister(new SimpleRegister(1200)); // setpoint rpm
        image.addDigitalOut(new com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut(true)); // running
        startSlave();
        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        cursor = journal.openCursor("it-modbus", StartAt.LATEST);
        config = cm.getFactoryConfiguration("io.millwright.driver.modbus.tcp", "it", "?");
        props = new Hashtable<>();
        props.put("deviceId", "plc-it");
        props.put("host", "127.0.0.1");
        props.put("port", port);
        props.put("pollIntervalMs", 100);
        props.put("timeoutMs", 500);
        props.put("reconnectMinMs", 100);
        props.put("reconnectMaxMs", 400);
        props.put("channels", new String[] {"line-1/pressure holding:0 uint16 scale=0.01 unit=bar",
            "line-1/speed_setpoint holding:1 uint16 unit=rpm min=0 max=3000 writable"});
        config.update(props);
        await("device ONLINE", () -> device(context, "plc-it") != null && device(context, "plc-it").status().state() == DeviceState.ONLINE);
    }

    private void startSlave() throws Exception {
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    /** After each scenario: the configuration deleted (the device goes with it), the reader and the slave closed. */
    @org.junit.After
    public void removeDevice() throws Exception {
        try {
            config.delete();
            await("device gone with its configuration", () -> device(context, "plc-it") == null);
        } finally {
            cursor.close();
            ModbusSlaveFactory.close();
        }
    }

    private List<Sample> awaitPressure(List<Sample> seen, int atLeast) throws InterruptedException {
        await(atLeast + " pressure samples in the journal", () -> seen.addAll(drain(cursor, PRESSURE)) && seen.size() >= atLeast);
        return seen;
    }

    @Test
    public void aDeviceFromAFactoryConfigurationFeedsTheJournalWithScaledValues() throws Exception {
        List<Sample> seen = awaitPressure(new ArrayList<>(), 3);
        assertThat(seen).allSatisfy(x -> assertThat(x.value().asDouble()).as("415 × 0.01, exactly").isEqualTo(4.15));
        assertSequencesContinue(seen, "polls");
    }

    @Test
    public void aWriteLandsInTheSlave() throws Exception {
        assertThat(device(context, "plc-it").write(ChannelId.parse("line-1/speed_setpoint"), Value.of(1450L)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).accepted()).isTrue();
        assertThat(image.getRegister(1).getValue()).isEqualTo(1450);
    }

    @Test
    public void theDeviceGoesOfflineWithItsPeerAndBackOnlineWithSequencesIntact() throws Exception {
        List<Sample> seen = awaitPressure(new ArrayList<>(), 2);
        ModbusSlaveFactory.close();
        await("OFFLINE when the slave stops", () -> device(context, "plc-it").status().state() == DeviceState.OFFLINE);
        startSlave();
        await("ONLINE when it returns", () -> device(context, "plc-it").status().state() == DeviceState.ONLINE);
        awaitPressure(seen, seen.size() + 3);
        assertSequencesContinue(seen, "the outage");
    }

    @Test
    public void aDriverBundleUpdateLeavesTheSpineRunningAndSequencesContinue() throws Exception {
        List<Sample> seen = awaitPressure(new ArrayList<>(), 2);
        long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
        Bundle driver = bundle(context, "io.millwright.driver.modbus");
        Path jar = DistributionBundles.jarsBySymbolicName(Path.of(System.getProperty("millwright.bundles"))).get("io.millwright.driver.modbus");
        try (InputStream in = Files.newInputStream(jar)) {
            driver.update(in);
        }
        awaitPressure(seen, seen.size() + 3);
        assertSequencesContinue(seen, "the driver update");
        assertThat(context.getServiceReference(Journal.class).getProperty("service.id")).as("journal untouched").isEqualTo(journalService);
        assertThat(device(context, "sim").status().state()).as("the simulated plant kept running").isEqualTo(DeviceState.ONLINE);
        long lanes = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("modbus-io-plc-it")).count();
        assertThat(lanes).as("one lane after the update").isEqualTo(1);
    }

    @Test
    public void aConfigurationChangeOnTheLiveDeviceTakesEffectAndTheDataPathContinues() throws Exception {
        List<Sample> seen = awaitPressure(new ArrayList<>(), 2);
        ChannelId setpoint = ChannelId.parse("line-1/speed_setpoint");
        props.put("channels", new String[] {"line-1/pressure holding:0 uint16 scale=0.01 unit=bar",
            "line-1/speed_setpoint holding:1 uint16 unit=rpm min=0 max=3000 writable", "line-1/running coil:0 bool"});
        props.put("pollIntervalMs", 50);
        config.update(props);
        await("the new channel served by the device", () -> device(context, "plc-it") != null
                && device(context, "plc-it").channels().stream().anyMatch(c -> c.id().toString().equals("line-1/running")));
        List<Sample> running = new ArrayList<>();
        await("the new channel in the journal", () -> {
            List<Sample> all = new ArrayList<>();
            FrameworkChecks.drainAll(cursor, all);
            for (Sample x : all) {
                if (x.channel().equals(PRESSURE)) {
                    seen.add(x);
                } else if (x.channel().toString().equals("line-1/running")) {
                    running.add(x);
                }
            }
            return running.size() >= 2;
        });
        assertThat(running).allSatisfy(x -> assertThat(x.value().asDouble()).as("the coil reads true").isEqualTo(1.0));
        awaitPressure(seen, seen.size() + 3);
        assertSequencesContinue(seen, "the configuration change");
        assertThat(device(context, "plc-it").write(setpoint, Value.of(900L)).toCompletableFuture().get(5, TimeUnit.SECONDS).accepted()).isTrue();
        assertThat(image.getRegister(1).getValue()).as("writes still land after the change").isEqualTo(900);
    }

    @Test
    public void twoHundredReconnectCyclesLeaveNoThreadsAndNoRetainedHeapBehind() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415));
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
        try (CuttableLink link = new CuttableLink(port)) {
            ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
            org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.millwright.driver.modbus.tcp", "cycles", "?");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("deviceId", "plc-cycles");
            props.put("host", "127.0.0.1");
            props.put("port", link.port());
            props.put("pollIntervalMs", 10);
            props.put("timeoutMs", 500);
            props.put("reconnectMinMs", 10);
            props.put("reconnectMaxMs", 20);
            props.put("channels", new String[] {"line-9/pressure holding:0 uint16 scale=0.01 unit=bar"});
            config.update(props);
            await("device ONLINE", () -> device(context, "plc-cycles") != null && device(context, "plc-cycles").status().state() == DeviceState.ONLINE);
            Device device = device(context, "plc-cycles");

            cycles(link, device, 20); // warm-up: classes loaded, pools at their working size
            java.util.Map<String, Long> threadsBefore = threadsByName();
            java.util.Map<String, long[]> heapBefore = liveHistogram();
            cycles(link, device, 200);
            java.util.Map<String, Long> threadsAfter = threadsByName();
            java.util.Map<String, long[]> heapAfter = liveHistogram();

            assertThat(threadsAfter.get("modbus-io-plc-cycles")).as("one lane").isEqualTo(1L);
            assertThat(threadsAfter.keySet().stream().filter(n -> n.contains("modbus") || n.contains("j2mod") || n.contains("Modbus TCP Master")))
                    .allSatisfy(n -> assertThat(threadsAfter.get(n)).as("threads named " + n).isLessThanOrEqualTo(threadsBefore.getOrDefault(n, 0L)));
            long total = threadsAfter.values().stream().mapToLong(Long::longValue).sum();
            long totalBefore = threadsBefore.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("live threads after 200 reconnects; before: " + threadsBefore + "; after: " + threadsAfter)
                    .isLessThanOrEqualTo(totalBefore + 2);
            assertThat(heapAfter).as("the histogram lists the live master").containsKey("com.ghgande.j2mod.modbus.facade.ModbusTCPMaster");
            for (String cls : heapAfter.keySet()) {
                if (cls.startsWith("com.ghgande.j2mod") || cls.startsWith("io.millwright.driver.modbus") || cls.equals("java.net.Socket")) {
                    long before = heapBefore.getOrDefault(cls, new long[2])[0];
                    assertThat(heapAfter.get(cls)[0]).as("live instances of " + cls + " after 200 reconnects (before: " + before + ")")
                            .isLessThanOrEqualTo(before + 5);
                }
            }
            config.delete();
            await("device gone", () -> device(context, "plc-cycles") == null);
        } finally {
            ModbusSlaveFactory.close();
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
