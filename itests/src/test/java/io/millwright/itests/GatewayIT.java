package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceState;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
import java.util.Hashtable;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The distribution's bundle set in a real Felix framework: it starts, the simulator's samples reach
 * the journal, the simulator can be updated, stopped and started while the spine keeps running,
 * and the live view answers over HTTP.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayIT {

    private static final ChannelId SPEED = ChannelId.parse("pump-1/speed");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            assertThat(tracker.waitForService(20_000)).as("service " + type.getSimpleName()).isNotNull();
        } finally {
            tracker.close();
        }
        // acquired for the test's bundle and kept: bundle-scoped services (Config Admin) die with their last release
        return context.getService(context.getServiceReference(type));
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        io.millwright.testing.Await.until(what, timeout, condition);
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(bsn)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /** Reads everything committed from the cursor, advancing it. */
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

    /** @return the body of a GET as admin over HTTPS, empty when it does not answer 200 */
    private String httpGet(String path) {
        Path data = Path.of(context.getProperty("millwright.data.dir"));
        String body = io.millwright.testing.GatewayHttp.admin(data, Integer.parseInt(context.getProperty("millwright.https.port")))
                .getOrNull(path);
        return body == null ? "" : body;
    }

    private static long simulatorLanes() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("simulator-io-")).count();
    }

    @Test
    public void everyBundleOfTheDistributionIsActive() throws Exception {
        Map<String, Integer> runBundles = DistributionBundles.runBundles(Path.of(System.getProperty("millwright.bndrun")));
        await("all bundles active", Duration.ofSeconds(20), () -> runBundles.keySet().stream().allMatch(bsn -> {
            Bundle b = bundle(bsn);
            return b.getHeaders().get("Fragment-Host") != null || b.getState() == Bundle.ACTIVE;
        }));
        for (String bsn : runBundles.keySet()) {
            Bundle b = bundle(bsn);
            if (b.getHeaders().get("Fragment-Host") == null) {
                assertThat(b.getState()).as(bsn + " state").isEqualTo(Bundle.ACTIVE);
            }
        }
    }

    @Test
    public void theDefaultConfigurationStartsTheSimulatedPlant() throws Exception {
        await("the demo plant's device", Duration.ofSeconds(20), () -> !devices("(millwright.device.id=sim)").isEmpty());
        Device device = context.getService(devices("(millwright.device.id=sim)").iterator().next());
        assertThat(device.id()).as("device id from the Configurator defaults").isEqualTo("sim");
        assertThat(device.channels()).extracting(c -> c.id().toString())
                .contains("pump-1/speed", "motor-1/current", "compressor-1/discharge_pressure", "pump-1/vibration");
        await("sim ONLINE", Duration.ofSeconds(10), () -> device.status().state() == DeviceState.ONLINE);
    }

    @Test
    public void samplesFlowFromTheSimulatorIntoTheJournalInSequence() throws Exception {
        Journal journal = service(Journal.class);
        JournalCursor cursor = journal.openCursor("it-flow", StartAt.EARLIEST);
        List<Sample> seen = new ArrayList<>();
        await("3 committed speed samples", Duration.ofSeconds(15), () -> {
            seen.addAll(drain(cursor, SPEED));
            return seen.size() >= 3;
        });
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).sequence()).isEqualTo(seen.get(i - 1).sequence() + 1);
            assertThat(seen.get(i).sourceTimeMicros()).isGreaterThan(seen.get(i - 1).sourceTimeMicros());
        }
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.quality().isGood()).isTrue();
            assertThat(s.ingestTimeMicros()).isGreaterThanOrEqualTo(s.sourceTimeMicros());
            assertThat(s.value().asDouble()).isBetween(1400.0, 1560.0);
        });
        assertThat(journal.statistics().committedSamples()).isGreaterThan(0);
    }

    @Test
    public void theSimulatorCanBeUpdatedStoppedAndStartedWhileTheSpineKeepsRunning() throws Exception {
        Journal journal = service(Journal.class);
        service(SampleSink.class);
        long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
        long sinkService = (Long) context.getServiceReference(SampleSink.class).getProperty("service.id");
        ServiceReference<?> web = context.getServiceReferences("jakarta.servlet.Servlet", "(osgi.http.whiteboard.servlet.pattern=/millwright/*)")[0];
        long webService = (Long) web.getProperty("service.id");
        Bundle simulator = bundle("io.millwright.simulator");
        JournalCursor cursor = journal.openCursor("it-swap", StartAt.EARLIEST);
        List<Sample> seen = new ArrayList<>();

        await("samples before the update", Duration.ofSeconds(15), () -> seen.addAll(drain(cursor, SPEED)) && seen.size() >= 2);
        Path jar = DistributionBundles.jarsBySymbolicName(Path.of(System.getProperty("millwright.bundles"))).get("io.millwright.simulator");
        try (InputStream in = Files.newInputStream(jar)) {
            simulator.update(in);
        }
        int afterUpdate = seen.size();
        await("samples after the update", Duration.ofSeconds(15), () -> {
            seen.addAll(drain(cursor, SPEED));
            return seen.size() >= afterUpdate + 2;
        });
        assertThat(simulatorLanes()).as("one simulator lane after the update").isEqualTo(1);

        simulator.stop();
        await("lane gone after stop", Duration.ofSeconds(5), () -> simulatorLanes() == 0);
        long stoppedMicros = System.currentTimeMillis() * 1000;
        // the live view marks the plant's last values stale: no device serves them now
        String stale = httpGet("/millwright/api/status");
        assertThat(stale).as("pump-1/speed marked stale").containsPattern("\\{\"tag\":\"speed\"[^}]*\"stale\":true,\"staleReason\":\"no device serves pump-1/speed");
        // time passes in which the running plant would have sent several samples (judged by their source time below,
        // not by when they are read: a sample taken before the stop may still be mid-commit now)
        seen.addAll(drain(cursor, SPEED));
        await("1.5 s without the plant", Duration.ofSeconds(10), () -> System.currentTimeMillis() * 1000 > stoppedMicros + 1_500_000);
        long restartMicros = System.currentTimeMillis() * 1000;

        simulator.start();
        await("samples after the restart", Duration.ofSeconds(15), () -> {
            seen.addAll(drain(cursor, SPEED));
            return seen.stream().filter(x -> x.sourceTimeMicros() >= restartMicros).count() >= 2;
        });
        assertThat(simulatorLanes()).as("one simulator lane after the restart").isEqualTo(1);
        assertThat(seen).as("nothing sampled between the stop and the restart").allSatisfy(x -> assertThat(
                x.sourceTimeMicros() <= stoppedMicros || x.sourceTimeMicros() >= restartMicros).isTrue());
        assertThat(seen).as("samples before the stop").anyMatch(x -> x.sourceTimeMicros() <= stoppedMicros);
        await("the live view shows pump-1/speed current again", Duration.ofSeconds(10),
                () -> !httpGet("/millwright/api/status").matches("(?s).*\\{\"tag\":\"speed\"[^}]*\"stale\":true.*"));

        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).sequence()).as("sequence continues across update, stop and start")
                    .isEqualTo(seen.get(i - 1).sequence() + 1);
        }
        for (String bsn : List.of("io.millwright.journal.mapdb", "io.millwright.ingest", "io.millwright.web")) {
            assertThat(bundle(bsn).getState()).as(bsn).isEqualTo(Bundle.ACTIVE);
        }
        assertThat(context.getServiceReference(Journal.class).getProperty("service.id")).as("journal not restarted").isEqualTo(journalService);
        assertThat(context.getServiceReference(SampleSink.class).getProperty("service.id")).as("ingest not restarted").isEqualTo(sinkService);
        assertThat(context.getServiceReferences("jakarta.servlet.Servlet", "(osgi.http.whiteboard.servlet.pattern=/millwright/*)")[0]
                .getProperty("service.id")).as("live view not restarted").isEqualTo(webService);
    }

    /**
     * The cost of the static references to ingest ({@code SampleSink}), measured: updating the ingest bundle restarts
     * the components that hold it (their lanes are new threads), the journal and the live view stay, and the plant's
     * samples flow on with their per-channel sequences intact. Prints which lanes restarted and how long samples paused.
     */
    @Test
    public void updatingIngestRestartsOnlyItsProducersAndTheDataPathContinuesWithSequencesIntact() throws Exception {
        Journal journal = service(Journal.class);
        service(SampleSink.class);
        long journalService = (Long) context.getServiceReference(Journal.class).getProperty("service.id");
        await("the demo's feature stream running", Duration.ofSeconds(20), () -> !lanes().keySet().stream().filter(n -> n.startsWith("features-")).toList().isEmpty());
        Map<String, Long> before = lanes();
        JournalCursor cursor = journal.openCursor("it-ingest-update", StartAt.LATEST);
        List<Sample> seen = new ArrayList<>();
        await("samples before the update", Duration.ofSeconds(15), () -> seen.addAll(drain(cursor, SPEED)) && seen.size() >= 2);
        Path jar = DistributionBundles.jarsBySymbolicName(Path.of(System.getProperty("millwright.bundles"))).get("io.millwright.ingest");
        long lastBefore = seen.get(seen.size() - 1).sourceTimeMicros();
        long started = System.nanoTime();
        try (InputStream in = Files.newInputStream(jar)) {
            bundle("io.millwright.ingest").update(in);
        }
        int afterUpdate = seen.size();
        await("samples after the update", Duration.ofSeconds(30), () -> {
            seen.addAll(drain(cursor, SPEED));
            return seen.size() >= afterUpdate + 1;
        });
        long resumedMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Long> after = lanes();
        List<String> restarted = before.keySet().stream().filter(n -> !before.get(n).equals(after.get(n))).sorted().toList();
        List<String> kept = before.keySet().stream().filter(n -> before.get(n).equals(after.get(n))).sorted().toList();
        long pauseMs = (seen.get(afterUpdate).sourceTimeMicros() - lastBefore) / 1000;
        System.out.printf("ingest bundle update: samples again %d ms after update() (plant pause %d ms between samples); lanes restarted %s; "
                + "kept %s%n", resumedMs, pauseMs, restarted, kept);
        cursor.close();
        assertThat(restarted).as("the producers holding the sink restart").anyMatch(n -> n.startsWith("simulator-io-"))
                .anyMatch(n -> n.startsWith("features-"));
        assertThat(kept).as("the journal and the readers that only read it stay").contains("journal-commit", "web-liveview-reader");
        assertThat(context.getServiceReference(Journal.class).getProperty("service.id")).as("journal not restarted").isEqualTo(journalService);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).sequence()).as("pump-1/speed sequence continues across the ingest update").isEqualTo(seen.get(i - 1).sequence() + 1);
        }
    }

    /** @return thread name → thread id of the gateway's named lanes (a restarted component has a new thread) */
    private static Map<String, Long> lanes() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.startsWith("simulator-io-") || n.startsWith("features-") || n.equals("journal-commit") || n.equals("web-liveview-reader")
                    || n.equals("scoring-model-scan") || n.startsWith("siteconfig-")) {
                out.put(n, t.getId());
            }
        }
        return out;
    }

    @Test
    public void aBadConfigurationKeepsItsDeviceOutAndAFixedOneStartsIt() throws Exception {
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        await("the demo plant's device", Duration.ofSeconds(20), () -> !devices("(millwright.device.id=sim)").isEmpty());
        Device sim = context.getService(devices("(millwright.device.id=sim)").iterator().next());
        org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.millwright.simulator.plant", "broken", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("deviceId", "broken");
        props.put("timeAcceleration", 0.0);
        config.update(props);
        String failure = FrameworkChecks.awaitFailedActivation(context, "broken");
        assertThat(failure).as("SCR says why").contains("timeAcceleration");
        await("the refused configuration shown as a device in CONFIG_ERROR", Duration.ofSeconds(10), () -> devices("(millwright.device.id=broken)").stream()
                .map(r -> context.getService(r)).anyMatch(d -> d != null && d.status().state() == DeviceState.CONFIG_ERROR
                        && d.status().message().contains("timeAcceleration=0.0")));
        assertThat(devices("(millwright.device.id=broken)")).as("no running device from a bad configuration").allSatisfy(r -> assertThat(
                context.getService(r).status().state()).isEqualTo(DeviceState.CONFIG_ERROR));
        assertThat(sim.status().state()).as("the other plant keeps running").isEqualTo(DeviceState.ONLINE);

        props.put("timeAcceleration", 10.0);
        config.update(props);
        await("the fixed configuration starts the device, the refusal goes", Duration.ofSeconds(10),
                () -> !devices("(millwright.device.id=broken)").isEmpty() && devices("(millwright.device.id=broken)").stream()
                        .allMatch(r -> context.getService(r) != null && context.getService(r).status().state() != DeviceState.CONFIG_ERROR));
        config.delete();
        await("deleting the configuration removes the device", Duration.ofSeconds(10),
                () -> devices("(millwright.device.id=broken)").isEmpty());
        assertThat(sim.status().state()).isEqualTo(DeviceState.ONLINE);
    }

    private java.util.Collection<ServiceReference<Device>> devices(String filter) {
        try {
            return context.getServiceReferences(Device.class, filter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    public void theLiveViewAnswersOverHttpsAndTheConsoleOnlyToAnAdmin() throws Exception {
        service(Journal.class);
        Path data = Path.of(context.getProperty("millwright.data.dir"));
        int httpsPort = Integer.parseInt(context.getProperty("millwright.https.port"));
        await("certificate and admin password written", Duration.ofSeconds(20),
                () -> Files.isRegularFile(data.resolve("tls/gateway.crt")) && Files.isRegularFile(data.resolve("initial-admin-password")));
        io.millwright.testing.GatewayHttp admin = io.millwright.testing.GatewayHttp.admin(data, httpsPort);
        String[] body = new String[1];
        await("status shows sim ONLINE with pump values", Duration.ofSeconds(20), () -> {
            body[0] = admin.getOrNull("/millwright/api/status");
            return body[0] != null && body[0].contains("\"state\":\"ONLINE\"") && body[0].contains("\"name\":\"pump-1\"");
        });
        assertThat(body[0]).contains("\"id\":\"sim\"").contains("\"cursors\"").contains("\"live-view\"").contains("\"commitRateSamplesPerSecond\"");
        HttpResponse<String> retired = admin.send(admin.request("/millwright/").build());
        assertThat(retired.statusCode()).as("the live view page is retired into the console").isEqualTo(301);
        assertThat(retired.headers().firstValue("Location")).contains("/");
        HttpResponse<String> page = admin.send(admin.request("/").build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Millwright");

        io.millwright.testing.GatewayHttp anonymous = io.millwright.testing.GatewayHttp.of(data, httpsPort);
        assertThat(anonymous.send(anonymous.request("/millwright/api/status").build()).statusCode()).as("no login").isEqualTo(401);
        await("console up", Duration.ofSeconds(20), () -> admin.getOrNull("/system/console/bundles") != null);
        HttpResponse<String> defaultPassword = anonymous.as("admin", "admin").send(anonymous.request("/system/console/bundles")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes())).build());
        assertThat(defaultPassword.statusCode()).as("admin/admin refused").isEqualTo(401);
    }

}
