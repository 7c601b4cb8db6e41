package io.millwright.itests;

import io.millwright.driver.opcua.testserver.OpcUaTestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the Milo test server outside the framework (JUnit side of the JVM) for {@link OpcUaIT}: it
 * accepts any client certificate, and its own certificate is placed in a fresh PKI folder's
 * {@code trusted/certs}, as an operator trusts a server. Kept out of the test class so that the test
 * probe inside Felix never loads Milo's server classes.
 */
final class OpcUaPeer {

    private OpcUaPeer() {
    }

    /** @return the endpoint URL and the PKI folder for the gateway */
    static String[] start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpcUaTestServer server = OpcUaTestServer.acceptingAnyClient(port);
        server.set("Setpoint", 1200.0);
        server.set("Temperature", 61.5); // read once a configuration change names it (OpcUaIT)
        Thread feeder = new Thread(() -> {
            for (long n = 0; ; n++) {
                server.set("Pressure", 4.0 + (n % 100) / 100.0);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "opcua-it-feeder");
        feeder.setDaemon(true);
        feeder.start();
        Path pki = Files.createTempDirectory("millwright-opcua-pki");
        Files.createDirectories(pki.resolve("trusted/certs"));
        Files.write(pki.resolve("trusted/certs/test-server.der"), server.certificate().getEncoded());
        return new String[] {server.url(), pki.toString()};
    }
}
