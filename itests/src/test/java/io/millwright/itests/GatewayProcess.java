package io.millwright.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real gateway jar started as a separate process on 127.0.0.1, with its own data folder. */
final class GatewayProcess implements AutoCloseable {
    private final Path data;
    private final int port;
    private final Path log;
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
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    void start() throws IOException {
        Path jar = Path.of(System.getProperty("millwright.gateway.jar"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dmillwright.data.dir=" + data,
                "-Dfelix.cm.dir=" + data.resolve("config"),
                "-Dmillwright.etc.dir=" + data.resolve("etc"),
                "-Dfelix.webconsole.password={sha-256}" + java.util.Base64.getEncoder().encodeToString(
                        sha256(Long.toHexString(System.nanoTime()))),
                "-Dorg.osgi.service.http.port=" + port,
                "-Dorg.apache.felix.http.host=127.0.0.1",
                "-jar", jar.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the status JSON, or null if the gateway does not answer (yet) */
    String status() {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/millwright/api/status"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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
