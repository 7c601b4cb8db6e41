package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Remote installs on the distribution's framework without its Modbus driver, from repositories served over HTTP on
 * 127.0.0.1 out of the build's own signed drivers index: an unsigned index and a tampered jar are refused before
 * anything is installed, and so is an update of a protected bundle; the Modbus driver and a device configuration are
 * installed by a signed MQTT command through a real broker (Eclipse Mosquitto), their phases published back, and the
 * device's data reaches the journal; a model package scores in shadow and takes over, a forged one is rolled back; a bundle whose component fails to activate (built here, in an index signed with
 * the build's key) is rolled back by itself with the reason; the simulated plant's sequences stay gap-free throughout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DeploymentIT {

    private static final String DRIVER = "io.millwright.driver.modbus";
    private static StaticHttpServer server;
    private static MosquittoBroker broker;
    private static JournalCursor plantCursor;
    private static int slavePort;
    private static String modelSha;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions(Set.of(DRIVER));
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        io.millwright.testing.Await.until(what, timeout, condition);
    }

    private io.millwright.testing.GatewayHttp admin() {
        return io.millwright.testing.GatewayHttp.admin(Path.of(context.getProperty("millwright.data.dir")),
                Integer.parseInt(context.getProperty("millwright.https.port")));
    }

    private static JsonValue parse(String body) {
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readValue();
        }
    }

    private HttpResponse<String> post(String path, String json) throws IOException {
        io.millwright.testing.GatewayHttp http = admin();
        return http.send(http.request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonObject deployment(String id) {
        String body = admin().getOrNull("/api/v1/deployments/" + id);
        return body == null ? null : parse(body).asJsonObject();
    }

    /** Submits a deployment and waits for it to end; returns its final status. */
    private JsonObject deploy(String json) throws Exception {
        HttpResponse<String> r = post("/api/v1/deployments", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = parse(r.body()).asJsonObject().getString("id");
        JsonObject[] last = new JsonObject[1];
        await("deployment " + id + " over", Duration.ofSeconds(120), () -> {
            last[0] = deployment(id);
            String phase = last[0] == null ? "" : last[0].getString("phase");
            return phase.equals("HEALTHY") || phase.equals("FAILED") || phase.equals("ROLLED_BACK");
        });
        return last[0];
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Once per class: the repositories on an HTTP server, their configurations, a Modbus slave, a journal reader. */
    private void setUp() throws Exception {
        if (server != null) {
            return;
        }
        Path drivers = Path.of(System.getProperty("millwright.feature.repos"), "drivers", "target");
        byte[] index = Files.readAllBytes(drivers.resolve("index.xml"));
        byte[] signature = Files.readAllBytes(drivers.resolve("index.xml.sig"));
        server = new StaticHttpServer();
        server.put("/drivers/index.xml", index);
        server.put("/drivers/index.xml.sig", signature);
        server.put("/unsigned/index.xml", index);
        server.put("/tampered/index.xml", index);
        server.put("/tampered/index.xml.sig", signature);
        Matcher m = Pattern.compile("name=\"url\" value=\"file:([^\"]+)\"").matcher(new String(index, StandardCharsets.UTF_8));
        while (m.find()) {
            Path jar = Path.of(m.group(1));
            byte[] bytes = Files.readAllBytes(jar);
            String name = jar.getFileName().toString();
            server.put("/drivers/" + name, bytes);
            server.put("/unsigned/" + name, bytes);
            byte[] tampered = bytes.clone();
            if (name.startsWith(DRIVER + "-")) {
                tampered[tampered.length / 2] ^= 0x20; // one bit of the driver, as a compromised mirror would serve it
            }
            server.put("/tampered/" + name, tampered);
        }
        new TestRepository().bundle("io.millwright.it.failing", io.millwright.itests.deploy.FailingComponent.class)
                .bundle("io.millwright.ingest", io.millwright.itests.deploy.HealthyComponent.class).publish(server, "test");
        byte[] model = Files.readAllBytes(Path.of(System.getProperty("it.model.v2")));
        server.put("/test/pump-bearing-rul-2.0.0.mwmodel", model);
        server.put("/test/forged-2.0.0.mwmodel", forged(model)); // changed after it was signed
        modelSha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(model));

        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        for (String name : List.of("drivers", "unsigned", "tampered", "test")) {
            org.osgi.service.cm.Configuration c = cm.getFactoryConfiguration("io.millwright.deploy.repository", name, "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("url", server.base() + "/" + name + "/index.xml");
            c.update(p);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            slavePort = s.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(415)); // pressure ×0.01 bar
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), slavePort, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        plantCursor = journal.openCursor("it-deploy-plant", StartAt.LATEST);
        await("the gateway's REST API", Duration.ofSeconds(60), () -> admin().getOrNull("/api/v1/packages") != null);
        // the cloud: a real broker, the uplink connected to it, commands signed with an admin's key
        broker = new MosquittoBroker("millwright/v1/it-deploy/#");
        org.osgi.service.cm.Configuration uplink = cm.getConfiguration("io.millwright.uplink.mqtt", "?");
        Hashtable<String, Object> u = new Hashtable<>();
        u.put("brokerUri", broker.uri());
        u.put("gatewayId", "it-deploy");
        u.put("reconnectMinMs", 200);
        u.put("reconnectMaxMs", 1000);
        u.put(".commandHmacKey", SignedCommands.KEY);
        u.put("commandHmacRole", "admin");
        u.put("allowInsecureCommands", true);
        uplink.update(u);
        await("the uplink connected to the broker", Duration.ofSeconds(60), () -> {
            String s = admin().getOrNull("/api/v1/uplink");
            return s != null && s.contains("\"connected\":true");
        });
    }

    private String modbusDeployment(String repository) {
        return """
                {"repository": "%s", "bundles": [{"name": "%s", "version": "[0.1,1)"}],
                 "configurations": [{"factoryPid": "io.millwright.driver.modbus.tcp", "name": "deployed",
                   "properties": {"deviceId": "plc-deployed", "host": "127.0.0.1", "port": %d, "pollIntervalMs": 100,
                     "timeoutMs": 500, "channels": "line-9/pressure holding:0 uint16 scale=0.01 unit=bar"}}],
                 "healthWindowSeconds": 30}
                """.formatted(repository, DRIVER, slavePort);
    }

    @Test
    public void a_anUnsignedIndexAndATamperedJarAreRefusedBeforeAnythingIsInstalled() throws Exception {
        setUp();
        JsonObject unsigned = deploy(modbusDeployment("unsigned"));
        assertThat(unsigned.getString("phase")).isEqualTo("FAILED");
        assertThat(unsigned.getString("reason")).contains("unsigned");
        JsonObject tampered = deploy(modbusDeployment("tampered"));
        assertThat(tampered.getString("phase")).isEqualTo("FAILED");
        assertThat(tampered.getString("reason")).contains("SHA-256").contains(DRIVER);
        assertThat(bundle(DRIVER)).as("nothing installed").isNull();
        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        assertThat(cm.listConfigurations("(service.factoryPid=io.millwright.driver.modbus.tcp)")).as("no configuration written").isNull();
        // the dry run of the good repository lists exactly the driver: j2mod and the driver support are installed
        HttpResponse<String> plan = post("/api/v1/deployments", modbusDeployment("drivers").replace("\"healthWindowSeconds\": 30", "\"dryRun\": true"));
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        JsonObject p = parse(plan.body()).asJsonObject();
        assertThat(p.getJsonArray("install").getValuesAs(jakarta.json.JsonString::getString)).singleElement().asString().startsWith(DRIVER + " ");
        assertThat(p.getJsonArray("restart")).isEmpty();
        assertThat(p.getString("signer")).contains("Millwright build key");
        assertThat(bundle(DRIVER)).as("a dry run installs nothing").isNull();
        // an update of a protected bundle (ingest: the data path) is refused unless the deployment says it means it
        long ingestBefore = bundle("io.millwright.ingest").getLastModified();
        JsonObject prot = deploy("""
                {"repository": "test", "bundles": [{"name": "io.millwright.ingest", "version": "[1,2)"}]}""");
        assertThat(prot.getString("phase")).isEqualTo("FAILED");
        assertThat(prot.getString("reason")).contains("protected bundles").contains("io.millwright.ingest").contains("allowRestart");
        assertThat(prot.getJsonObject("plan").getJsonArray("update").toString()).contains("io.millwright.ingest 0.1.0.SNAPSHOT -> 1.0.0");
        assertThat(bundle("io.millwright.ingest").getLastModified()).as("ingest untouched").isEqualTo(ingestBefore);
        assertThat(bundle("io.millwright.ingest").getVersion().toString()).isEqualTo("0.1.0.SNAPSHOT");
    }

    @Test
    public void b_theModbusDriverAndADeviceAreInstalledByAnMqttCommandFromAnHttpRepository() throws Exception {
        setUp();
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        try (JournalCursor cursor = journal.openCursor("it-deploy-device", StartAt.LATEST)) {
            org.eclipse.paho.client.mqttv3.MqttClient cloud = broker.client("cloud-deploy");
            cloud.publish("millwright/v1/it-deploy/commands", SignedCommands.command("m1", "deploy", ",\"args\":" + modbusDeployment("drivers"))
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            cloud.disconnect();
            String[] reply = new String[1];
            await("the deploy command's reply", Duration.ofSeconds(30), () -> {
                reply[0] = broker.payloads("/responses").stream().filter(r -> r.contains("\"id\":\"m1\"")).findFirst().orElse(null);
                return reply[0] != null;
            });
            assertThat(reply[0]).contains("\"ok\":true");
            Matcher id = Pattern.compile("\"deployment\":\"([^\"]+)\"").matcher(reply[0]);
            assertThat(id.find()).as(reply[0]).isTrue();
            JsonObject[] last = new JsonObject[1];
            await("the deployment over", Duration.ofSeconds(120), () -> {
                last[0] = deployment(id.group(1));
                return last[0] != null && Set.of("HEALTHY", "FAILED", "ROLLED_BACK").contains(last[0].getString("phase"));
            });
            JsonObject done = last[0];
            assertThat(done.getString("phase")).as(done.toString()).isEqualTo("HEALTHY");
            assertThat(done.getString("source")).isEqualTo("mqtt");
            assertThat(broker.payloads("/deployments/" + id.group(1))).as("each phase published to the cloud")
                    .anyMatch(p -> p.contains("\"phase\":\"RESOLVED\"")).anyMatch(p -> p.contains("\"phase\":\"HEALTHY\""));
            List<String> phases = done.getJsonArray("phases").stream().map(v -> v.asJsonObject().getString("phase")).toList();
            assertThat(phases).containsExactly("QUEUED", "DOWNLOADED", "VERIFIED", "RESOLVED", "STAGED", "STARTED", "HEALTHY");
            Instant created = Instant.parse(done.getString("created"));
            Instant healthy = Instant.parse(done.getJsonArray("phases").getJsonObject(phases.size() - 1).getString("at"));
            System.out.println("DEPLOY-METRIC driver install, job to healthy: " + Duration.between(created, healthy).toMillis() + " ms");
            assertThat(bundle(DRIVER).getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(bundle(DRIVER).getLocation()).startsWith("millwright-deploy:");
            List<Double> pressures = new ArrayList<>();
            await("the deployed device's samples in the journal", Duration.ofSeconds(30), () -> {
                for (Sample s : drain(cursor)) {
                    if (s.channel().equals(ChannelId.parse("line-9/pressure"))) {
                        pressures.add(s.value().asDouble());
                    }
                }
                return pressures.size() >= 3;
            });
            assertThat(pressures).allSatisfy(v -> assertThat(v).isEqualTo(4.15));
            JsonObject packages = parse(admin().getOrNull("/api/v1/packages")).asJsonObject();
            assertThat(packages.getJsonArray("deployed").getValuesAs(jakarta.json.JsonString::getString)).anyMatch(s -> s.startsWith(DRIVER + " "));
        }
    }

    @Test
    public void c_aComponentThatFailsToActivateIsRolledBackWithTheReason() throws Exception {
        setUp();
        JsonObject done = deploy("""
                {"repository": "test", "bundles": [{"name": "io.millwright.it.failing"}], "healthWindowSeconds": 20}""");
        assertThat(done.getString("phase")).as(done.toString()).isEqualTo("ROLLED_BACK");
        assertThat(done.getString("reason")).contains("failed to activate").contains("calibration table missing");
        List<String> phases = done.getJsonArray("phases").stream().map(v -> v.asJsonObject().getString("phase")).toList();
        assertThat(phases).contains("STAGED", "STARTED").endsWith("ROLLED_BACK").doesNotContain("HEALTHY");
        assertThat(bundle("io.millwright.it.failing")).as("uninstalled by the rollback").isNull();
        assertThat(done.getJsonArray("installedAfter").getValuesAs(jakarta.json.JsonString::getString))
                .as("what runs after the rollback, as found in the framework: the previous deployment")
                .anyMatch(s -> s.startsWith(DRIVER + " ") && s.endsWith("(ACTIVE)"))
                .noneMatch(s -> s.startsWith("io.millwright.it.failing"));
        assertThat(bundle(DRIVER).getState()).as("the earlier deployment keeps running").isEqualTo(Bundle.ACTIVE);
        String audit = admin().getOrNull("/api/v1/audit?max=100");
        assertThat(audit).contains("deploy.rollback").contains("deploy.commit").contains("deploy.submit");
    }

    @Test
    public void d_aModelPackageIsDeployedScoresInShadowAndTakesOverAForgedOneIsRolledBack() throws Exception {
        setUp();
        JsonObject forged = deploy("""
                {"repository": "test", "models": [{"file": "forged-2.0.0.mwmodel"}], "healthWindowSeconds": 30}""");
        assertThat(forged.getString("phase")).as(forged.toString()).isEqualTo("ROLLED_BACK");
        assertThat(forged.getString("reason")).contains("refused by the scoring engine");
        assertThat(Files.exists(Path.of(context.getProperty("millwright.data.dir"), "models", "forged-2.0.0.mwmodel"))).isFalse();

        JsonObject done = deploy("""
                {"repository": "test", "models": [{"file": "pump-bearing-rul-2.0.0.mwmodel", "sha256": "%s"}], "healthWindowSeconds": 60}"""
                .formatted(modelSha));
        assertThat(done.getString("phase")).as(done.toString()).isEqualTo("HEALTHY");
        assertThat(done.toString()).contains("pump-bearing-rul 2.0.0");
        await("2.0.0 in service after its shadow windows", Duration.ofSeconds(120), () -> {
            String models = admin().getOrNull("/api/v1/models");
            return models != null && models.contains("\"version\":\"2.0.0\"");
        });
        assertThat(admin().getOrNull("/api/v1/models")).as("it scored in shadow first").contains("validated, scoring in shadow");
    }

    @Test
    public void z_theSimulatedPlantsSequencesStayGapFreeThroughout() throws Exception {
        setUp();
        try {
            checkGapFree();
        } finally {
            broker.close(); // the last test: the broker process and the repository server go
            server.close();
        }
    }

    private void checkGapFree() {
        Map<ChannelId, List<Long>> sequences = new TreeMap<>(java.util.Comparator.comparing(ChannelId::toString));
        for (Sample s : drain(plantCursor)) {
            String asset = s.channel().toString().split("/")[0];
            if (asset.equals("pump-1") || asset.equals("motor-1") || asset.equals("compressor-1")) {
                sequences.computeIfAbsent(s.channel(), c -> new ArrayList<>()).add(s.sequence());
            }
        }
        assertThat(sequences).as("the plant's channels were read").isNotEmpty();
        long samples = 0;
        for (Map.Entry<ChannelId, List<Long>> e : sequences.entrySet()) {
            List<Long> seq = e.getValue();
            samples += seq.size();
            for (int i = 1; i < seq.size(); i++) {
                assertThat(seq.get(i)).as(e.getKey() + " sequence after " + seq.get(i - 1)).isEqualTo(seq.get(i - 1) + 1);
            }
        }
        System.out.println("DEPLOY-METRIC plant samples checked across the deployments: " + samples + " on " + sequences.size()
                + " channels, samples lost: 0");
    }

    /** The package with its version raised in model.properties and everything else as signed: a valid zip, a broken signature. */
    private static byte[] forged(byte[] model) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(model));
                java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null;) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("model.properties")) {
                    bytes = new String(bytes, StandardCharsets.UTF_8).replace("model.version=2.0.0", "model.version=2.0.1").getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zip.write(bytes);
            }
        }
        return out.toByteArray();
    }

    private static List<Sample> drain(JournalCursor cursor) {
        List<Sample> out = new ArrayList<>();
        while (true) {
            JournalRead read = cursor.read(10_000);
            for (JournalEntry e : read.entries()) {
                out.addAll(e.samples());
            }
            cursor.advance(read.nextPosition());
            if (read.entries().isEmpty()) {
                return out;
            }
        }
    }
}
