package io.millwright.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real gateway jar started as a separate process on 127.0.0.1, with its own data folder. */
final class GatewayProcess implements AutoCloseable {
    private final Path data;
    private final int port;
    private final int httpsPort;
    private final Path log;
    private io.millwright.testing.GatewayHttp http;
    private Process process;

    GatewayProcess(Path data) throws IOException {
        this(data, "gateway.log");
    }

    GatewayProcess(Path data, String logName) throws IOException {
        this(data, data.resolve(logName));
    }

    /**
     * @param data the data folder
     * @param log where the gateway's output goes (outside the data folder when that folder is made to fill up)
     */
    GatewayProcess(Path data, Path log) throws IOException {
        this.data = data;
        this.log = log;
        try (ServerSocket s = new ServerSocket(0); ServerSocket t = new ServerSocket(0)) {
            this.port = s.getLocalPort();
            this.httpsPort = t.getLocalPort();
        }
    }

    void start() throws IOException {
        Path jar = Path.of(System.getProperty("millwright.gateway.jar"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dmillwright.data.dir=" + data,
                "-Dfelix.cm.dir=" + data.resolve("config"),
                "-Dmillwright.etc.dir=" + data.resolve("etc"),
                "-Dorg.osgi.service.http.port=" + port,
                "-Dmillwright.https.port=" + httpsPort,
                "-Dorg.apache.felix.http.host=127.0.0.1",
                "-jar", jar.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** @return the HTTPS base, e.g. {@code https://127.0.0.1:8443} */
    String baseUrl() {
        return "https://127.0.0.1:" + httpsPort;
    }

    /** @return the plain HTTP base (it only redirects) */
    String plainUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path data() {
        return data;
    }

    int httpsPort() {
        return httpsPort;
    }

    /** @return a client logged in as admin (null until the gateway has written its certificate and admin password) */
    io.millwright.testing.GatewayHttp http() {
        if (http == null && java.nio.file.Files.isRegularFile(data.resolve("tls/gateway.crt"))
                && java.nio.file.Files.isRegularFile(data.resolve("initial-admin-password"))) {
            http = io.millwright.testing.GatewayHttp.admin(data, httpsPort);
        }
        return http;
    }

    /** @return the status JSON (read as admin over HTTPS), or null if the gateway does not answer (yet) */
    String status() {
        io.millwright.testing.GatewayHttp h = http();
        if (h == null) {
            return null;
        }
        try {
            java.net.http.HttpResponse<String> r = h.send(h.request("/millwright/api/status").build());
            if (r.statusCode() == 401) {
                // the password was read before this start's first admin existed (a first start killed after writing
                // initial-admin-password and before creating the user writes it again): read it again next time
                http = null;
                return null;
            }
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The status as soon as the web side answers: it starts after the data path (start level 15, HTTPS, the first
     * login's KDF), so a one-off check right after the first samples must wait for it.
     *
     * @return the status JSON
     * @throws AssertionError when the gateway does not answer within 60 s
     */
    String currentStatus() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s;
        while ((s = status()) == null) {
            if (System.nanoTime() > deadline || !isAlive()) {
                throw new AssertionError("the gateway's status page did not answer within 60 s; log " + log);
            }
            Thread.sleep(100);
        }
        return s;
    }

    /** Sends SIGKILL: no shutdown hook, no final commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and waits for the framework to stop. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * @param timeout how long to wait
     * @return the exit status, or -1 if the process still runs after the timeout
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }
}
