package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The uplink over TLS to a broker that verifies a client certificate and a password, and refuses
 * to talk to a broker whose certificate it does not trust. Certificates are made at test time with
 * the JDK's keytool (EC P-256, SAN ip:127.0.0.1).
 */
public class UplinkTlsIT {

    private static final String PASS = "changeit";

    private static void keytool(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool " + cmd + ": " + out).isTrue();
    }

    private static void keyPair(Path dir, String alias, String dname, String store) throws Exception {
        keytool(dir, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store, "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS);
        keytool(dir, "-exportcert", "-alias", alias, "-keystore", store, "-storepass", PASS, "-file", alias + ".crt");
    }

    private static void trust(Path dir, String alias, String store) throws Exception {
        keytool(dir, "-importcert", "-noprompt", "-alias", alias, "-file", alias + ".crt", "-keystore", store, "-storetype", "PKCS12",
                "-storepass", PASS);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path gatewayData(int sslPort, Path pki, String trustStore) throws Exception {
        return gatewayData(sslPort, pki, trustStore, "client.p12", "s3cret-password");
    }

    private static Path gatewayData(int sslPort, Path pki, String trustStore, String keyStore, String password) throws Exception {
        Path data = Files.createTempDirectory("millwright-tls-");
        Path etc = Files.createDirectories(data.resolve("etc"));
        Files.writeString(etc.resolve("io.millwright.simulator.plant~demo.cfg"), "scalarIntervalMs=50\nwaveformIntervalMs=0\n");
        Files.writeString(etc.resolve("io.millwright.uplink.mqtt.cfg"), String.join("\n",
                "brokerUri=ssl://127.0.0.1:" + sslPort, "gatewayId=tls-it", "reconnectMinMs=200", "reconnectMaxMs=1000",
                "trustStore=" + pki.resolve(trustStore), ".trustStorePassword=" + PASS,
                "keyStore=" + (keyStore.isEmpty() ? "" : pki.resolve(keyStore).toString()), ".keyStorePassword=" + PASS,
                "username=gw", ".password=" + password, ""));
        return data;
    }

    private static String refused(Path data, MqttBroker broker, String why) throws Exception {
        try (GatewayProcess gateway = new GatewayProcess(data)) {
            gateway.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String status = null;
            while (System.nanoTime() < deadline && (status == null || !status.contains("\"lastError\":\"connect failed"))) {
                Thread.sleep(200);
                status = gateway.status();
            }
            assertThat(status).as(why + ": refused").contains("\"connected\":false").contains("\"lastError\":\"connect failed");
            Thread.sleep(1000);
            assertThat(gateway.currentStatus()).as(why + ": still refused").contains("\"connected\":false");
            assertThat(broker.samples.get()).as(why + ": nothing delivered").isZero();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lastError\":\"([^\"]*)\"").matcher(status);
            String reason = m.find() ? m.group(1) : "?";
            System.out.println(why + " -> " + reason);
            gateway.stop();
            return reason;
        }
    }

    @Test
    public void tlsWithAClientCertificateAndAPasswordDeliversAndEveryMissingCredentialIsRefused() throws Exception {
        Path pki = Files.createTempDirectory("millwright-pki-");
        keyPair(pki, "broker", "CN=127.0.0.1", "broker.p12");
        keyPair(pki, "client", "CN=tls-it", "client.p12");
        keyPair(pki, "stranger", "CN=127.0.0.1", "stranger.p12");
        trust(pki, "client", "broker.p12");
        trust(pki, "broker", "trust.p12");
        trust(pki, "stranger", "wrong-trust.p12");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("s3cret-password".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(pki.resolve("passwords"), "gw:" + hash + "\n");

        int sslPort = freePort();
        Properties tls = new Properties();
        tls.setProperty("ssl_port", Integer.toString(sslPort));
        tls.setProperty("jks_path", pki.resolve("broker.p12").toString());
        tls.setProperty("key_store_type", "pkcs12");
        tls.setProperty("key_store_password", PASS);
        tls.setProperty("key_manager_password", PASS);
        tls.setProperty("need_client_auth", "true");
        tls.setProperty("allow_anonymous", "false");
        tls.setProperty("password_file", pki.resolve("passwords").toString());
        try (MqttBroker broker = new MqttBroker()) {
            broker.start(tls);

            assertThat(refused(gatewayData(sslPort, pki, "wrong-trust.p12"), broker, "an untrusted broker"))
                    .as("names the broker and the trust store").contains("ssl://127.0.0.1:" + sslPort).contains("wrong-trust.p12");
            refused(gatewayData(sslPort, pki, "trust.p12", "", "s3cret-password"), broker, "no client certificate");
            refused(gatewayData(sslPort, pki, "trust.p12", "client.p12", "wrong-password"), broker, "a wrong password");

            try (GatewayProcess gateway = new GatewayProcess(gatewayData(sslPort, pki, "trust.p12"))) {
                gateway.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && broker.samples.get() < 500) {
                    Thread.sleep(200);
                }
                assertThat(broker.samples.get()).as("telemetry over TLS with client certificate and password; log " + gateway.log())
                        .isGreaterThanOrEqualTo(500);
                assertThat(gateway.currentStatus()).contains("\"connected\":true").contains("ssl://127.0.0.1:" + sslPort);
                gateway.stop();
            }
        }
    }
}
