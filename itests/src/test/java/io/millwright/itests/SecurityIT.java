package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.testing.GatewayHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The gateway's identity, HTTPS and audit layer as a plant's security officer would check it: the real gateway jar,
 * users made with {@code bin/millwright-users}, requests over HTTPS with the generated certificate, the audit trail
 * checked with {@code bin/millwright-audit}. One gateway for the whole class.
 */
public class SecurityIT {

    private static final String PASSWORD = "correct-horse-battery";
    private static Path data;
    private static GatewayProcess gateway;
    private static GatewayHttp admin;

    @BeforeClass
    public static void startGateway() throws Exception {
        data = Files.createTempDirectory("millwright-security-");
        gateway = new GatewayProcess(data);
        gateway.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (gateway.status() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gateway did not answer over HTTPS within 90 s; log " + gateway.log());
            }
            Thread.sleep(200);
        }
        admin = gateway.http();
        while (admin.getOrNull("/system/console/bundles.json") == null) { // the Web Console starts last (start level 20)
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Web Console did not answer within 90 s; log " + gateway.log());
            }
            Thread.sleep(200);
        }
        for (String role : List.of("viewer", "operator", "engineer")) {
            assertThat(tool("millwright-users", PASSWORD + "\n", "add", role + "-user", role).exit()).as("add " + role).isZero();
        }
    }

    @AfterClass
    public static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    record Run(int exit, String out) {
    }

    /** Runs one of distribution/bin's tools on the gateway's data folder, as an integrator would. */
    static Run tool(String name, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("millwright.distribution.bin"), name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MILLWRIGHT_DATA", data.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static int status(GatewayHttp client, String path) throws IOException {
        return client.send(client.request(path).build()).statusCode();
    }

    @Test
    public void everyKindOfEndpointAnswersEachRoleAsThePolicySays() throws Exception {
        String token = tool("millwright-users", "", "token", "engineer-user", "viewer", "--days", "1", "--description", "it")
                .out().lines().filter(l -> l.startsWith("mwt_")).findFirst().orElseThrow();
        GatewayHttp anonymous = GatewayHttp.of(data, gateway.httpsPort());
        Map<String, GatewayHttp> clients = new LinkedHashMap<>();
        clients.put("anonymous", anonymous);
        clients.put("viewer", anonymous.as("viewer-user", PASSWORD));
        clients.put("operator", anonymous.as("operator-user", PASSWORD));
        clients.put("engineer", anonymous.as("engineer-user", PASSWORD));
        clients.put("admin", admin);
        clients.put("viewer token", anonymous.withToken(token));
        clients.put("wrong password", anonymous.as("engineer-user", "not-the-password"));
        List<String> endpoints = List.of("/millwright/api/status", "/", "/system/console/bundles", "/no/such/page", "/login");

        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        expected.put("anonymous", List.of(401, 401, 401, 401, 200));
        expected.put("viewer", List.of(200, 200, 403, 404, 200));
        expected.put("operator", List.of(200, 200, 403, 404, 200));
        expected.put("engineer", List.of(200, 200, 403, 404, 200));
        expected.put("admin", List.of(200, 200, 200, 404, 200));
        expected.put("viewer token", List.of(200, 200, 403, 404, 200));
        expected.put("wrong password", List.of(401, 401, 401, 401, 200));

        Map<String, List<Integer>> actual = new LinkedHashMap<>();
        for (Map.Entry<String, GatewayHttp> c : clients.entrySet()) {
            List<Integer> row = new ArrayList<>();
            for (String endpoint : endpoints) {
                row.add(status(c.getValue(), endpoint));
            }
            actual.put(c.getKey(), row);
        }
        assertThat(actual).as("endpoint x role -> status, endpoints " + endpoints).isEqualTo(expected);

        HttpResponse<Void> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.plainUrl() + "/millwright/api/status"))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(plain.statusCode()).as("plain HTTP only redirects").isEqualTo(308);
        assertThat(plain.headers().firstValue("Location")).hasValue(gateway.baseUrl() + "/millwright/api/status");
        HttpResponse<String> secure = admin.send(admin.request("/millwright/api/status").build());
        assertThat(secure.headers().firstValue("Strict-Transport-Security")).isPresent();
        // DNS rebinding: a page on another name that resolves to the gateway (plain port: Java's client refuses to set Host)
        java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(gateway.plainUrl()).getPort());
        try (socket) {
            socket.getOutputStream().write("GET /millwright/api/status HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 421").contains("unknown host name 'attacker.example'");
        }

        assertThat(tool("millwright-users", "", "revoke", token.substring(4, 16)).exit()).isZero();
        assertThat(status(anonymous.withToken(token), "/millwright/api/status")).as("revoked token").isEqualTo(401);
    }

    @Test
    public void aCrossSitePostToTheWebConsoleIsRefusedAndChangesNothing() throws Exception {
        String before = admin.getOrNull("/system/console/bundles/io.millwright.simulator.json");
        assertThat(before).contains("\"state\":\"Active\"");
        for (Map.Entry<String, String> header : Map.of("Origin", "https://attacker.example", "Sec-Fetch-Site", "cross-site").entrySet()) {
            HttpResponse<String> r = admin.send(admin.request("/system/console/bundles/io.millwright.simulator")
                    .header("Content-Type", "application/x-www-form-urlencoded").header(header.getKey(), header.getValue())
                    .POST(HttpRequest.BodyPublishers.ofString("action=stop")).build());
            assertThat(r.statusCode()).as(header.toString()).isEqualTo(403);
        }
        assertThat(admin.getOrNull("/system/console/bundles/io.millwright.simulator.json")).as("still active").contains("\"state\":\"Active\"");
        assertThat(Files.readString(data.resolve("audit/audit.log"))).contains("\"action\":\"http.cross-site\"");
        // the same action from the console's own page (same origin) is done, and audited with the admin's name
        HttpResponse<String> same = admin.send(admin.request("/system/console/bundles/io.millwright.simulator")
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", gateway.baseUrl())
                .header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString("action=start")).build());
        assertThat(same.statusCode()).isLessThan(400);
        assertThat(Files.readAllLines(data.resolve("audit/audit.log"))).anyMatch(l -> l.contains("\"actor\":\"admin\"")
                && l.contains("\"action\":\"http.POST\"") && l.contains("\"target\":\"/system/console/bundles/io.millwright.simulator\"")
                && l.contains("\"result\":\"ok\""));
    }

    @Test
    public void failedLoginsAreThrottledPerClient() throws Exception {
        GatewayHttp guesser = GatewayHttp.of(data, gateway.httpsPort()).as("operator-user", "guess-guess-guess");
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            answers.add(status(guesser, "/millwright/api/status"));
        }
        assertThat(answers).as("five wrong guesses, then refused without a check").containsExactly(401, 401, 401, 401, 401, 429, 429);
        assertThat(status(admin, "/millwright/api/status")).as("another account from the same address is not locked out").isEqualTo(200);
        HttpResponse<String> r = guesser.send(guesser.request("/millwright/api/status").build());
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    public void configurationChangesAreAuditedWithWhoAndBeforeAfterAndTheChainIsVerifiable() throws Exception {
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/io.millwright.simulator.plant~demo.cfg"), "timeAcceleration=20\n");
        Path trail = data.resolve("audit/audit.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String entry = null;
        while (entry == null && System.nanoTime() < deadline) {
            entry = Files.readAllLines(trail).stream().filter(l -> l.contains("\"action\":\"config.update\"")
                    && l.contains("io.millwright.simulator.plant~demo") && l.matches(".*\"after\":\\{[^}]*\"timeAcceleration\":\"20(\\.0)?\".*")).findFirst().orElse(null);
            Thread.sleep(200);
        }
        assertThat(entry).as("the etc/ change audited").isNotNull().contains("\"actor\":\"etc-file\"").contains("\"source\":\"etc\"")
                .contains("\"address\":\"etc/io.millwright.simulator.plant~demo.cfg\"").containsPattern("\"before\":\\{[^}]*\"timeAcceleration\":\"8640");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(trail))).isEqualTo("rw-------");
        String text = Files.readString(trail);
        assertThat(text).as("no secret in the trail").doesNotContain(Files.readString(data.resolve("initial-admin-password")).strip())
                .doesNotContain(PASSWORD);

        Run ok = tool("millwright-audit", "", "verify");
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("chain intact");

        // one byte of an entry in the middle altered: the verifier names that entry (on a copy: the gateway keeps writing)
        Path copy = data.resolve("audit-copy.log");
        List<String> lines = Files.readAllLines(trail);
        int victim = lines.size() / 2;
        String line = lines.get(victim);
        int at = line.indexOf("\"action\":\"") + 10;
        lines.set(victim, line.substring(0, at) + (line.charAt(at) == 'x' ? 'y' : 'x') + line.substring(at + 1));
        Files.write(copy, lines);
        Run broken = tool("millwright-audit", "", "verify", "--file", copy.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("BROKEN at entry " + (victim + 1) + " (line " + (victim + 1) + ")");
    }

    @Test
    public void theFirstStartsSecretsAreTheOwnersOnly() throws Exception {
        for (String file : List.of("initial-admin-password", "tls/gateway.p12", "tls/gateway.p12.password", "identity/identity.db")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file)))).as(file).isEqualTo("rw-------");
        }
        assertThat(Files.readString(gateway.log())).as("the password is never logged")
                .doesNotContain(Files.readString(data.resolve("initial-admin-password")).strip())
                .contains("initial-admin-password");
    }
}
