package io.millwright.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway jar started as a user would (-Xmx128m, as bin/millwright does), and its status JSON. */
final class GatewayJar {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private GatewayJar() {
    }

    /** @return a free port on 127.0.0.1 */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * @param jar the gateway jar
     * @param data the data folder
     * @param port the HTTP port
     * @param output where its output goes
     * @return the process
     */
    static Process start(Path jar, Path data, int port, ProcessBuilder.Redirect output) throws IOException {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dmillwright.data.dir=" + data, "-Dfelix.cm.dir=" + data.resolve("config"), "-Dmillwright.etc.dir=" + data.resolve("etc"),
                "-Dorg.osgi.service.http.port=" + port, "-Dfelix.webconsole.password={sha-256}unused", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(output).start();
    }

    /** @return the status URI of the gateway on this port */
    static URI status(int port) {
        return URI.create("http://127.0.0.1:" + port + "/millwright/api/status");
    }

    /** @return the body, or null if the gateway does not answer (yet) */
    static String get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** @return the first group of the pattern in the body as a number, -1 if absent */
    static long number(Pattern p, String body) {
        Matcher m = body == null ? null : p.matcher(body);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
