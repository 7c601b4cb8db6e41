package io.millwright.benchmarks;

import io.millwright.testing.GatewayHttp;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the login costs a request: the gateway jar as a user starts it, one HTTPS connection kept alive, requests to a
 * path that does not exist — unauthenticated (the guard answers 401), and with an API token, HTTP Basic (a password
 * checked once, then remembered for a minute) and a session cookie (the guard lets each through, Jetty answers
 * 404). Kinds alternate in rounds so that drift of the machine hits them alike; the figure per kind is the median of
 * the rounds' mean latencies. Then password logins through the form ({@code POST /login}): the KDF's cost.
 */
final class AuthBenchmark {

    private AuthBenchmark() {
    }

    static void run(int rounds, Path jar) throws Exception {
        Path data = Files.createTempDirectory("bench-auth-");
        int port = GatewayJar.freePort();
        Process p = GatewayJar.start(jar, data, port, ProcessBuilder.Redirect.to(data.resolve("gateway.log").toFile()));
        try {
            GatewayJar.Status status = GatewayJar.status(data, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (status.get() == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("gateway did not answer; see " + data.resolve("gateway.log"));
                }
                Thread.sleep(100);
            }
            String password = Files.readString(data.resolve("initial-admin-password")).strip();
            ProcessBuilder users = new ProcessBuilder("distribution/bin/millwright-users", "token", "admin", "viewer", "--days", "1");
            users.environment().put("MILLWRIGHT_DATA", data.toString());
            Process tool = users.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String token = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            tool.waitFor();
            GatewayHttp anonymous = GatewayHttp.of(data, port);
            HttpResponse<String> login = anonymous.send(anonymous.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8))).build());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

            Map<String, HttpRequest> kinds = new LinkedHashMap<>();
            kinds.put("unauthenticated (401 from the guard)", anonymous.request("/no/such/page").build());
            kinds.put("API token (Bearer)", anonymous.withToken(token).request("/no/such/page").build());
            kinds.put("HTTP Basic (remembered)", anonymous.as("admin", password).request("/no/such/page").build());
            kinds.put("session cookie", anonymous.request("/no/such/page").header("Cookie", cookie).build());
            Map<String, List<Double>> means = new LinkedHashMap<>();
            int perRound = 2000;
            for (int warm = 0; warm < 3; warm++) {
                for (HttpRequest r : kinds.values()) {
                    time(anonymous, r, perRound);
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, HttpRequest> k : kinds.entrySet()) {
                    means.computeIfAbsent(k.getKey(), x -> new ArrayList<>()).add(time(anonymous, k.getValue(), perRound));
                }
            }
            double base = median(means.values().iterator().next());
            System.out.printf(Locale.ROOT, "auth: %d rounds of %d sequential requests per kind over one kept-alive HTTPS connection%n", rounds, perRound);
            for (Map.Entry<String, List<Double>> e : means.entrySet()) {
                double m = median(e.getValue());
                System.out.printf(Locale.ROOT, "  %-40s %7.1f µs per request (%+6.1f µs vs unauthenticated)%n", e.getKey(), m, m - base);
            }
            // password logins that pay the KDF: users made for it, each logging in once (a successful check is remembered
            // for a minute, so the same user again would measure the memory, not the KDF)
            List<Double> logins = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                ProcessBuilder add = new ProcessBuilder("distribution/bin/millwright-users", "add", "bench-" + i, "viewer");
                add.environment().put("MILLWRIGHT_DATA", data.toString());
                Process adding = add.redirectErrorStream(true).start();
                adding.getOutputStream().write("bench-password-long-enough\n".getBytes(StandardCharsets.UTF_8));
                adding.getOutputStream().close();
                adding.getInputStream().readAllBytes();
                if (adding.waitFor() != 0) {
                    throw new IllegalStateException("millwright-users add failed");
                }
                long t = System.nanoTime();
                HttpResponse<String> r = anonymous.send(anonymous.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("user=bench-" + i + "&password=bench-password-long-enough")).build());
                logins.add((System.nanoTime() - t) / 1e6);
                if (r.statusCode() != 303) {
                    throw new IllegalStateException("login answered " + r.statusCode());
                }
            }
            System.out.printf(Locale.ROOT, "  password login (POST /login, PBKDF2-SHA256 600k, 8 users once each): first %.0f ms, median %.0f ms, "
                    + "max %.0f ms%n", logins.get(0), median(logins), Collections.max(logins));
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** @return mean µs per request */
    private static double time(GatewayHttp client, HttpRequest request, int n) throws Exception {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.send(request);
        }
        return (System.nanoTime() - t) / 1e3 / n;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
