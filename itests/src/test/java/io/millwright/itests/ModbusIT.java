package io.millwright.itests;

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
 * The Modbus driver in the distribution's Felix framework against a j2mod TCP slave on 127.0.0.1:
 * a device activates from a factory configuration, its values reach the journal, writes land in the
 * slave, it goes OFFLINE and back ONLINE with the slave, and an update of the driver bundle leaves
 * the simulated plant and the journal running while the Modbus channels' sequences continue.
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

    @Test
    public void aModbusDeviceFeedsTheJournalWritesSurvivesItsPeerAndABundleUpdate() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415)); // pressure ×0.01 bar
        image.addRegister(new SimpleRegister(1200)); // setpoint rpm
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
        try {
            ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
            Journal journal = context.getService(context.getServiceReference(Journal.class));
            JournalCursor cursor = journal.openCursor("it-modbus", StartAt.LATEST);
            org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.millwright.driver.modbus.tcp", "it", "?");
            Hashtable<String, Object> props = new Hashtable<>();
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
            List<Sample> seen = new ArrayList<>();
            await("pressure in the journal", () -> seen.addAll(drain(cursor, PRESSURE)) && seen.size() >= 3);
            assertThat(seen.get(seen.size() - 1).value().asDouble()).isEqualTo(4.15);

            assertThat(device(context, "plc-it").write(ChannelId.parse("line-1/speed_setpoint"), Value.of(1450L)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).accepted()).isTrue();
            assertThat(image.getRegister(1).getValue()).isEqualTo(1450);

            ModbusSlaveFactory.close();
            await("OFFLINE when the slave stops", () -> device(context, "plc-it").status().state() == DeviceState.OFFLINE);
            slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
            slave.addProcessImage(1, image);
            slave.open();
            await("ONLINE when it returns", () -> device(context, "plc-it").status().state() == DeviceState.ONLINE);

            long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
            Bundle driver = bundle(context, "io.millwright.driver.modbus");
            Path jar = DistributionBundles.jarsBySymbolicName(Path.of(System.getProperty("millwright.bundles"))).get("io.millwright.driver.modbus");
            int before = seen.size();
            try (InputStream in = Files.newInputStream(jar)) {
                driver.update(in);
            }
            await("pressure again after the driver update", () -> seen.addAll(drain(cursor, PRESSURE)) && seen.size() > before + 3);
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i).sequence()).as("sequence continues across outage and update").isEqualTo(seen.get(i - 1).sequence() + 1);
            }
            assertThat(context.getServiceReference(Journal.class).getProperty("service.id")).as("journal untouched").isEqualTo(journalService);
            assertThat(device(context, "sim").status().state()).as("the simulated plant kept running").isEqualTo(DeviceState.ONLINE);
            long lanes = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("modbus-io-plc-it")).count();
            assertThat(lanes).as("one lane after the update").isEqualTo(1);
            config.delete();
            await("device gone with its configuration", () -> device(context, "plc-it") == null);
        } finally {
            ModbusSlaveFactory.close();
        }
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
