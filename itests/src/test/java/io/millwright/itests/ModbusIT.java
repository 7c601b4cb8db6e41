package io.millwright.itests;

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

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private Device device(String id) {
        try {
            Collection<ServiceReference<Device>> refs = context.getServiceReferences(Device.class, "(millwright.device.id=" + id + ")");
            return refs.isEmpty() ? null : context.getService(refs.iterator().next());
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<Sample> drain(JournalCursor cursor, ChannelId channel) {
        List<Sample> out = new ArrayList<>();
        while (true) {
            JournalRead read = cursor.read(10_000);
            for (JournalEntry e : read.entries()) {
                e.samples().stream().filter(s -> s.channel().equals(channel)).forEach(out::add);
            }
            cursor.advance(read.nextPosition());
            if (read.entries().isEmpty()) {
                return out;
            }
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(bsn)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
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

            await("device ONLINE", () -> device("plc-it") != null && device("plc-it").status().state() == DeviceState.ONLINE);
            List<Sample> seen = new ArrayList<>();
            await("pressure in the journal", () -> seen.addAll(drain(cursor, PRESSURE)) && seen.size() >= 3);
            assertThat(seen.get(seen.size() - 1).value().asDouble()).isEqualTo(4.15);

            assertThat(device("plc-it").write(ChannelId.parse("line-1/speed_setpoint"), Value.of(1450L)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).accepted()).isTrue();
            assertThat(image.getRegister(1).getValue()).isEqualTo(1450);

            ModbusSlaveFactory.close();
            await("OFFLINE when the slave stops", () -> device("plc-it").status().state() == DeviceState.OFFLINE);
            slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
            slave.addProcessImage(1, image);
            slave.open();
            await("ONLINE when it returns", () -> device("plc-it").status().state() == DeviceState.ONLINE);

            long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
            Bundle driver = bundle("io.millwright.driver.modbus");
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
            assertThat(device("sim").status().state()).as("the simulated plant kept running").isEqualTo(DeviceState.ONLINE);
            long lanes = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("modbus-io-plc-it")).count();
            assertThat(lanes).as("one lane after the update").isEqualTo(1);
            config.delete();
            await("device gone with its configuration", () -> device("plc-it") == null);
        } finally {
            ModbusSlaveFactory.close();
        }
    }
}
