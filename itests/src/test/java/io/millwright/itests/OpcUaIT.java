package io.millwright.itests;

import static io.millwright.itests.FrameworkChecks.drainAll;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The OPC UA driver (re-bundled Milo) in the distribution's Felix framework against a real Milo server on 127.0.0.1,
 * started outside the framework, one scenario per test on a device configured before each: Basic256Sha256/
 * SignAndEncrypt with a user name, the server trusted the documented way (its certificate in {@code trusted/certs}),
 * values in the journal, a write landing in the server (seen coming back through the subscription), a configuration
 * change on the live device, a driver bundle update with the journal untouched — sequences continuing throughout;
 * 200 reconnect cycles leave nothing behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpcUaIT {

    private static final ChannelId PRESSURE = ChannelId.parse("press-1/pressure");
    private static final ChannelId SETPOINT = ChannelId.parse("press-1/speed_setpoint");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        String[] peer = OpcUaPeer.start();
        List<Option> options = new ArrayList<>(List.of(DistributionBundles.frameworkOptions()));
        options.add(CoreOptions.systemProperty("it.opcua.url").value(peer[0]));
        options.add(CoreOptions.systemProperty("it.opcua.pki").value(peer[1]));
        return options.toArray(new Option[0]);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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

    private static List<Sample> only(List<Sample> all, ChannelId channel) {
        return all.stream().filter(s -> s.channel().equals(channel)).toList();
    }

    private org.osgi.service.cm.Configuration config;
    private Hashtable<String, Object> props;
    private JournalCursor cursor;
    private final List<Sample> seen = new ArrayList<>();

    /**
     * Each scenario starts with a secure device on the server (ONLINE) and a journal reader from now on, and ends with
     * {@link #removeDevice()}. (Not {@code @Before}: the reconnect test must run without it, its thread count would see
     * this device's Milo workers.)
     */
    private void secureDevice() throws Exception {
        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        cursor = journal.openCursor("it-opcua", StartAt.LATEST);
        config = cm.getFactoryConfiguration("io.millwright.driver.opcua", "it", "?");
        props = new Hashtable<>();
        props.put("deviceId", "press-ua");
        props.put("endpointUrl", System.getProperty("it.opcua.url"));
        props.put("securityPolicy", "Basic256Sha256");
        props.put("securityMode", "SignAndEncrypt");
        props.put("username", "operator");
        props.put(".password", "s3cret-pump");
        props.put("publishingIntervalMs", 100);
        props.put("samplingIntervalMs", 20);
        props.put("timeoutMs", 3000);
        props.put("reconnectMinMs", 100);
        props.put("reconnectMaxMs", 500);
        props.put("pkiDirectory", System.getProperty("it.opcua.pki"));
        props.put("channels", new String[] {"press-1/pressure ns=2;s=Pressure unit=bar",
            "press-1/speed_setpoint ns=2;s=Setpoint unit=rpm min=0 max=3000 writable"});
        config.update(props);
        await("device ONLINE", () -> device("press-ua") != null && device("press-ua").status().state() == DeviceState.ONLINE);
    }

    /** The end of each scenario: the configuration deleted (the device goes with it), the reader closed. */
    private void removeDevice() throws Exception {
        try {
            config.delete();
            await("device gone with its configuration", () -> device("press-ua") == null);
        } finally {
            cursor.close();
        }
    }

    private void awaitPressure(int more) throws InterruptedException {
        int before = only(seen, PRESSURE).size();
        await(more + " more pressure samples in the journal", () -> {
            drainAll(cursor, seen);
            return only(seen, PRESSURE).size() >= before + more;
        });
    }

    @Test
    public void aSecureDeviceFeedsTheJournalWithTheServersValuesAndKeepsItsCertificate() throws Exception {
        secureDevice();
        try {
            awaitPressure(10);
            assertThat(only(seen, PRESSURE)).allSatisfy(s -> assertThat(s.value().asDouble()).isBetween(4.0, 5.0));
            assertThat(Files.exists(Path.of(System.getProperty("it.opcua.pki"), "own", "client.p12"))).as("client certificate kept").isTrue();
            FrameworkChecks.assertSequencesContinue(only(seen, PRESSURE), "samples");
        } finally {
            removeDevice();
        }
    }

    @Test
    public void aWriteLandsInTheServerAndComesBackThroughTheSubscription() throws Exception {
        secureDevice();
        try {
            assertThat(device("press-ua").write(SETPOINT, Value.of(1450.0)).toCompletableFuture().get(10, TimeUnit.SECONDS).accepted()).isTrue();
            await("the written setpoint back from the server", () -> {
                drainAll(cursor, seen);
                List<Sample> sp = only(seen, SETPOINT);
                return !sp.isEmpty() && sp.get(sp.size() - 1).value().equals(Value.of(1450.0));
            });
            assertThat(device("press-ua").write(SETPOINT, Value.of(1200.0)).toCompletableFuture().get(10, TimeUnit.SECONDS).accepted()).isTrue();
        } finally {
            removeDevice();
        }
    }

    @Test
    public void aConfigurationChangeOnTheLiveDeviceTakesEffectAndTheDataPathContinues() throws Exception {
        secureDevice();
        try {
            awaitPressure(5);
            ChannelId temperature = ChannelId.parse("press-1/temperature");
            props.put("channels", new String[] {"press-1/pressure ns=2;s=Pressure unit=bar",
                "press-1/speed_setpoint ns=2;s=Setpoint unit=rpm min=0 max=3000 writable", "press-1/temperature ns=2;s=Temperature unit=Cel"});
            props.put("samplingIntervalMs", 10);
            config.update(props);
            await("the added channel in the journal", () -> {
                drainAll(cursor, seen);
                return !only(seen, temperature).isEmpty();
            });
            awaitPressure(10);
            assertThat(only(seen, temperature)).allSatisfy(s -> assertThat(s.value().asDouble()).isEqualTo(61.5));
            FrameworkChecks.assertSequencesContinue(only(seen, PRESSURE), "the configuration change");
        } finally {
            removeDevice();
        }
    }

    @Test
    public void aDriverBundleUpdateLeavesTheJournalAndThePlantRunningAndSequencesContinue() throws Exception {
        secureDevice();
        try {
            awaitPressure(5);
            long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
            Bundle driver = null;
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName().equals("io.millwright.driver.opcua")) {
                    driver = b;
                }
            }
            Path jar = DistributionBundles.jarsBySymbolicName(Path.of(System.getProperty("millwright.bundles"))).get("io.millwright.driver.opcua");
            try (InputStream in = Files.newInputStream(jar)) {
                driver.update(in);
            }
            awaitPressure(10);
            FrameworkChecks.assertSequencesContinue(only(seen, PRESSURE), "the driver update");
            assertThat(context.getServiceReference(Journal.class).getProperty("service.id")).as("journal untouched").isEqualTo(journalService);
            assertThat(device("sim").status().state()).as("the simulated plant kept running").isEqualTo(DeviceState.ONLINE);
            long lanes = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("opcua-io-press-ua")).count();
            assertThat(lanes).as("one lane after the update").isEqualTo(1);
        } finally {
            removeDevice();
        }
    }

    @Test
    public void aHundredReconnectCyclesLeaveNoThreadsAndNoRetainedHeapBehind() throws Exception {
        java.net.URI url = java.net.URI.create(System.getProperty("it.opcua.url"));
        try (CuttableLink link = new CuttableLink(url.getPort())) {
            ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
            org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.millwright.driver.opcua", "cycles", "?");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("deviceId", "ua-cycles");
            props.put("endpointUrl", "opc.tcp://127.0.0.1:" + link.port() + url.getPath());
            props.put("securityPolicy", "None");
            props.put("securityMode", "None");
            props.put("publishingIntervalMs", 50);
            props.put("samplingIntervalMs", 20);
            props.put("timeoutMs", 2000);
            props.put("reconnectMinMs", 20);
            props.put("reconnectMaxMs", 40);
            props.put("pkiDirectory", System.getProperty("it.opcua.pki"));
            props.put("channels", new String[] {"press-9/pressure ns=2;s=Pressure unit=bar"});
            config.update(props);
            FrameworkChecks.await("device ONLINE", () -> device("ua-cycles") != null && device("ua-cycles").status().state() == DeviceState.ONLINE);
            Device device = device("ua-cycles");

            cycles(link, device, 20); // warm-up
            java.util.Map<String, Long> threadsBefore = FrameworkChecks.threadsByName();
            java.util.Map<String, long[]> heapBefore = FrameworkChecks.liveHistogram();
            // a leak of one object in 20 reconnects exceeds the margin of 5 below; each cycle takes ~1.4 s (Milo's session)
            cycles(link, device, 100);
            java.util.Map<String, Long> threadsAfter = FrameworkChecks.threadsByName();
            java.util.Map<String, long[]> heapAfter = FrameworkChecks.liveHistogram();

            assertThat(threadsAfter.get("opcua-io-ua-cycles")).as("one lane").isEqualTo(1L);
            long total = threadsAfter.values().stream().mapToLong(Long::longValue).sum();
            long totalBefore = threadsBefore.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("live threads after 100 reconnects; before: " + threadsBefore + "; after: " + threadsAfter)
                    .isLessThanOrEqualTo(totalBefore + 2);
            assertThat(heapAfter).as("the histogram lists the live client").containsKey("org.eclipse.milo.opcua.sdk.client.OpcUaClient");
            for (String cls : heapAfter.keySet()) {
                if (cls.startsWith("org.eclipse.milo.opcua.sdk.client") || cls.startsWith("io.millwright.driver.opcua")
                        || cls.startsWith("io.netty.channel.socket") || cls.equals("sun.nio.ch.SocketChannelImpl")) {
                    long before = heapBefore.getOrDefault(cls, new long[2])[0];
                    assertThat(heapAfter.get(cls)[0]).as("live instances of " + cls + " after 100 reconnects (before: " + before + ")")
                            .isLessThanOrEqualTo(before + 5);
                }
            }
            config.delete();
            FrameworkChecks.await("device gone", () -> device("ua-cycles") == null);
        }
    }

    /** Cuts the connection {@code n} times, each time waiting for the loss and for data on a new session. */
    private static void cycles(CuttableLink link, Device device, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            long errors = device.counters().errors();
            link.cut();
            FrameworkChecks.await("cycle " + i + ": the cut seen", () -> device.counters().errors() > errors);
            long polls = device.counters().polls();
            FrameworkChecks.await("cycle " + i + ": data again",
                    () -> device.counters().polls() >= polls + 2 && device.status().state() == DeviceState.ONLINE);
        }
    }
}
