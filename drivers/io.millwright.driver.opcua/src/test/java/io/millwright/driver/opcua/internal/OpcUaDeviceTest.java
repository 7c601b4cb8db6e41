package io.millwright.driver.opcua.internal;

import io.millwright.testing.Await;
import io.millwright.testing.CollectingSink;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.millwright.driver.opcua.testserver.OpcUaTestServer;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OPC UA device against a real Eclipse Milo server on 127.0.0.1. */
class OpcUaDeviceTest {

    @TempDir
    Path pki;
    private int port;
    private OpcUaTestServer server;
    private final CollectingSink sink = new CollectingSink();
    private OpcUaDevice device;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the gateway's client certificate exists before the server learns to trust it
        ClientPki client = ClientPki.open(pki);
        server = new OpcUaTestServer(port, List.of(client.certificate));
        server.set("Pressure", 4.15);
        server.set("Counter", 41);
        server.set("Running", true);
        server.set("Setpoint", 1200.0);
        server.set("Probe", 0.0, StatusCodes.Bad_SensorFailure);
        server.set("Drift", 7.5, StatusCodes.Uncertain_SensorNotAccurate);
    }

    @AfterEach
    void stop() throws Exception {
        if (device != null) {
            device.deactivate();
        }
        if (server != null) {
            server.close();
        }
    }

    static OpcUaDevice.Config config(String url, String policy, String mode, String user, String password, String sampling,
            String... channels) {
        return deviceConfig("ua1", url, policy, mode, user, password, sampling, channels);
    }

    static OpcUaDevice.Config deviceConfig(String id, String url, String policy, String mode, String user, String password, String sampling,
            String... channels) {
        return new OpcUaDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return OpcUaDevice.Config.class; }
            @Override public String deviceId() { return id; }
            @Override public String endpointUrl() { return url; }
            @Override public String securityPolicy() { return policy; }
            @Override public String securityMode() { return mode; }
            @Override public String username() { return user; }
            @Override public String _password() { return password; }
            @Override public String mode() { return sampling; }
            @Override public int publishingIntervalMs() { return 50; }
            @Override public int samplingIntervalMs() { return 20; }
            @Override public int queueSize() { return 10; }
            @Override public int pollIntervalMs() { return 50; }
            @Override public int timeoutMs() { return 2000; }
            @Override public int reconnectMinMs() { return 50; }
            @Override public int reconnectMaxMs() { return 200; }
            @Override public String pkiDirectory() { return ""; }
            @Override public String[] channels() { return channels; }
        };
    }

    private static final String[] CHANNELS = {"line-1/pressure ns=2;s=Pressure unit=bar", "line-1/count ns=2;s=Counter type=long",
        "line-1/running ns=2;s=Running type=bool", "line-1/setpoint ns=2;s=Setpoint min=0 max=3000 writable",
        "line-1/probe ns=2;s=Probe", "line-1/drift ns=2;s=Drift", "line-1/ghost ns=2;s=NoSuchTag"};

    private OpcUaDevice secure(String password, String mode) {
        return new OpcUaDevice(null, sink, config(server.url(), "Basic256Sha256", "SignAndEncrypt", OpcUaTestServer.USER, password, mode, CHANNELS),
                pki, Clock.systemUTC());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(20), condition);
    }

    private void trustTheServer() throws Exception {
        await("server certificate in rejected/", () -> listing(pki.resolve("rejected")).length > 0);
        Path rejected = listing(pki.resolve("rejected"))[0];
        Files.move(rejected, pki.resolve("trusted").resolve("certs").resolve(rejected.getFileName()));
    }

    private static Path[] listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toArray(Path[]::new);
        } catch (java.io.IOException e) {
            return new Path[0];
        }
    }

    @Test
    void anUnknownServerIsRefusedUntilTrustedThenSignAndEncryptWithAUserDeliversValuesStatusesAndTimestamps() throws Exception {
        Instant stamped = Instant.parse("2026-11-01T08:00:00.123456Z");
        server.set("Stamped", 12.5, 0, stamped);
        String[] channels = Stream.concat(Stream.of(CHANNELS), Stream.of("line-1/stamped ns=2;s=Stamped")).toArray(String[]::new);
        device = new OpcUaDevice(null, sink, config(server.url(), "Basic256Sha256", "SignAndEncrypt", OpcUaTestServer.USER, OpcUaTestServer.PASSWORD,
                "subscription", channels), pki, Clock.systemUTC());
        await("refused: the server is not trusted", () -> device.status().state() == DeviceState.OFFLINE);
        assertThat(device.status().message()).contains("not trusted").contains(pki.resolve("rejected").toString())
                .contains(pki.resolve("trusted").resolve("certs").toString());
        assertThat(sink.batches()).isEmpty();

        trustTheServer();
        await("values", () -> sink.latest("line-1/pressure") != null && sink.latest("line-1/ghost") != null);
        assertThat(device.status().state()).isEqualTo(DeviceState.DEGRADED);
        assertThat(device.status().message()).contains("1 monitored items refused");
        assertThat(sink.latest("line-1/pressure").value()).isEqualTo(Value.of(4.15));
        await("counter", () -> sink.latest("line-1/count") != null);
        assertThat(sink.latest("line-1/count").value()).isEqualTo(Value.of(41L));
        assertThat(sink.latest("line-1/running").value()).isEqualTo(Value.of(true));
        assertThat(sink.latest("line-1/probe").quality().level()).isEqualTo(QualityLevel.BAD);
        assertThat(sink.latest("line-1/probe").quality().reason()).isEqualTo("OPC UA Bad_SensorFailure");
        assertThat(sink.latest("line-1/drift").quality().level()).isEqualTo(QualityLevel.UNCERTAIN);
        assertThat(sink.latest("line-1/ghost").quality().reason()).contains("ns=2;s=NoSuchTag").contains("Bad_NodeIdUnknown");
        await("stamped", () -> sink.latest("line-1/stamped") != null);
        assertThat(sink.latest("line-1/stamped").sourceTimeMicros()).as("source timestamp kept")
                .isEqualTo(stamped.getEpochSecond() * 1_000_000L + 123_456);

        for (int i = 1; i <= 20; i++) {
            server.set("Counter", 41 + i);
            Thread.sleep(30);
        }
        await("counter changes", () -> sink.latest("line-1/count").value().equals(Value.of(61L)));
        List<Long> counts = sink.of("line-1/count").stream().map(s -> s.value().asDouble()).map(Double::longValue).toList();
        assertThat(counts).as("changes arrive in order").isSorted();

        WriteResult w = device.write(ChannelId.parse("line-1/setpoint"), Value.of(1450.0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(w.accepted()).as(w.message()).isTrue();
        assertThat(server.get("Setpoint")).isEqualTo(1450.0);
        assertThat(device.write(ChannelId.parse("line-1/setpoint"), Value.of(5000.0)).toCompletableFuture().get().message())
                .contains("within [0.0, 3000.0]");
        assertThat(device.write(ChannelId.parse("line-1/pressure"), Value.of(1.0)).toCompletableFuture().get().message()).contains("not writable");
        assertThat(server.get("Setpoint")).isEqualTo(1450.0);
        assertThat(listing(pki.resolve("own"))).extracting(p -> p.getFileName().toString()).contains("client.p12", "client.der");
    }

    @Test
    void wrongCredentialsAreReportedWithTheUserNamed() throws Exception {
        Files.createDirectories(pki.resolve("trusted").resolve("certs"));
        device = secure("not-the-password", "subscription");
        trustTheServer();
        await("refused user", () -> device.status().message().contains("user 'operator'"));
        assertThat(device.status().state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(device.status().message()).contains("wrong user name or password");
    }

    @Test
    void pollingModeReadsWithTheReadService() throws Exception {
        device = new OpcUaDevice(null, sink, config(server.url(), "None", "None", "", "", "polling", "line-1/pressure ns=2;s=Pressure",
                "line-1/probe ns=2;s=Probe"), pki, Clock.systemUTC());
        await("three polls", () -> sink.of("line-1/pressure").size() >= 3);
        assertThat(sink.latest("line-1/pressure").value()).isEqualTo(Value.of(4.15));
        assertThat(sink.latest("line-1/probe").quality().reason()).isEqualTo("OPC UA Bad_SensorFailure");
        assertThat(device.status().state()).isEqualTo(DeviceState.DEGRADED);
    }

    @Test
    void theStatusSaysWhichSideRefusesNowOurTrustStoreFirstThenTheServer() throws Exception {
        device = secure(OpcUaTestServer.PASSWORD, "subscription");
        await("refused by our trust store", () -> device.status().state() == DeviceState.OFFLINE);
        assertThat(device.status().message()).contains("not trusted").contains(pki.resolve("trusted").resolve("certs").toString())
                .contains(server.url());
        // the same server (same certificate, same port) now refuses the gateway's certificate; the gateway trusts it
        server.close();
        server = new OpcUaTestServer(port, List.of());
        server.set("Pressure", 4.15);
        trustTheServer();
        await("refused by the server, and the status says so", () -> device.status().message().contains("refused this gateway's certificate"));
        assertThat(device.status().state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(device.status().message()).as("the current reason, not the old one").doesNotContain("not trusted")
                .contains(server.url()).contains(pki.resolve("own").resolve("client.der").toString());
    }

    @Test
    void aStoppedServerMakesTheDeviceOfflineAndTheSubscriptionIsRecreatedWhenItReturns() throws Exception {
        device = new OpcUaDevice(null, sink, config(server.url(), "None", "None", "", "", "subscription", "line-1/pressure ns=2;s=Pressure"), pki,
                Clock.systemUTC());
        await("online", () -> device.status().state() == DeviceState.ONLINE && sink.latest("line-1/pressure") != null);
        server.close();
        server = null;
        await("offline", () -> device.status().state() == DeviceState.OFFLINE);
        int before = sink.of("line-1/pressure").size();
        server = new OpcUaTestServer(port, List.of(ClientPki.open(pki).certificate));
        server.set("Pressure", 5.5);
        await("online again with data from a new subscription", () -> device.status().state() == DeviceState.ONLINE
                && sink.latest("line-1/pressure").value().equals(Value.of(5.5)));
        assertThat(sink.of("line-1/pressure").size()).isGreaterThan(before);
    }

    @Test
    void aHangingServerNeverDelaysAnotherDevice() throws Exception {
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket mute = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(mute.accept()); // accepts the connection, never says Hello back
                    }
                } catch (java.io.IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            OpcUaDevice hung = new OpcUaDevice(null, sink, deviceConfig("ua-hung", "opc.tcp://127.0.0.1:" + mute.getLocalPort() + "/plant", "None",
                    "None", "", "", "subscription", "mute/x ns=2;s=X"), pki.resolve("hung"), Clock.systemUTC());
            java.util.concurrent.ScheduledExecutorService plant = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            plant.scheduleAtFixedRate(() -> server.set("Pressure", Math.random()), 0, 20, TimeUnit.MILLISECONDS); // new source times
            try {
                device = new OpcUaDevice(null, sink, config(server.url(), "None", "None", "", "", "polling", "line-1/pressure ns=2;s=Pressure"),
                        pki, Clock.systemUTC()); // a sample every 50 ms
                await("healthy device ONLINE", () -> device.status().state() == DeviceState.ONLINE);
                await("hung device OFFLINE", () -> hung.status().state() == DeviceState.OFFLINE);
                assertThat(hung.status().message()).contains("127.0.0.1:" + mute.getLocalPort());
                int from = sink.of("line-1/pressure").size();
                Thread.sleep(5000); // two of the hung device's 2 s timeouts at least
                List<Sample> window = sink.of("line-1/pressure");
                window = window.subList(from, window.size());
                assertThat(window.size()).isGreaterThan(30);
                long widest = 0;
                for (int i = 1; i < window.size(); i++) {
                    widest = Math.max(widest, window.get(i).sourceTimeMicros() - window.get(i - 1).sourceTimeMicros());
                }
                assertThat(widest).as("widest gap between the healthy device's polls, µs").isLessThan(750_000);
                assertThat(held).as("the hung device kept trying").isNotEmpty();
            } finally {
                plant.shutdownNow();
                hung.deactivate();
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void badConfigurationNamesDeviceSettingAndValue() {
        assertThatThrownBy(() -> new OpcUaDevice(null, sink, config(server.url(), "None", "SignAndEncrypt", "", "", "subscription", CHANNELS), pki,
                Clock.systemUTC())).hasMessageContaining("device 'ua1'").hasMessageContaining("securityPolicy=None with securityMode=SignAndEncrypt");
        assertThatThrownBy(() -> new OpcUaDevice(null, sink, config(server.url(), "None", "None", "", "", "subscription", "a/b ns=2;x=Bad"), pki,
                Clock.systemUTC())).hasMessageContaining("channel 'a/b ns=2;x=Bad': node id 'ns=2;x=Bad' is not valid");
        assertThatThrownBy(() -> new OpcUaDevice(null, sink, config(server.url(), "None", "None", "bob", "", "subscription", CHANNELS), pki,
                Clock.systemUTC())).hasMessageContaining("username=bob needs the private property .password");
        assertThatThrownBy(() -> new OpcUaDevice(null, sink, config(server.url(), "None", "None", "bob", "pw", "subscription", CHANNELS), pki,
                Clock.systemUTC())).hasMessageContaining("username=bob with securityPolicy=None would send the password over an unprotected channel");
        assertThatThrownBy(() -> new OpcUaDevice(null, sink, config("http://x", "None", "None", "", "", "subscription", CHANNELS), pki,
                Clock.systemUTC())).hasMessageContaining("endpointUrl=http://x");
        assertThatThrownBy(() -> new OpcUaDevice(null, sink, config(server.url(), "None", "None", "", "", "subscription",
                "a/b ns=2;s=X type=bool deadband=1"), pki, Clock.systemUTC())).hasMessageContaining("a deadband needs a numeric type");
    }
}
