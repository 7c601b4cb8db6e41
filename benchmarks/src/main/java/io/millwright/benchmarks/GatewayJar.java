package io.millwright.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import io.millwright.testing.GatewayHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway jar started as a user would (-Xmx128m, as bin/millwright does), and its status JSON over HTTPS. */
final class GatewayJar {

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
                "-Dmillwright.https.port=" + port, "-Dorg.osgi.service.http.port=" + freePort(), "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(output).start();
    }

    /**
     * @param data the gateway's data folder (its certificate and admin password appear there at first start)
     * @param port its HTTPS port
     * @return the gateway's status page, read as admin over HTTPS
     */
    static Status status(Path data, int port) {
        return new Status(data, port);
    }

    /** The status JSON of one gateway. */
    static final class Status {
        private final Path data;
        private final int port;
        private GatewayHttp http;

        Status(Path data, int port) {
            this.data = data;
            this.port = port;
        }

        /** @return the body, or null if the gateway does not answer (yet) */
        String get() {
            if (http == null) {
                if (!Files.isRegularFile(data.resolve("tls/gateway.crt")) || !Files.isRegularFile(data.resolve("initial-admin-password"))) {
                    return null;
                }
                http = GatewayHttp.admin(data, port);
            }
            return http.getOrNull("/millwright/api/status");
        }
    }

    /** @return the first group of the pattern in the body as a number, -1 if absent */
    static long number(Pattern p, String body) {
        Matcher m = body == null ? null : p.matcher(body);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
