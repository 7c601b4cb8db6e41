package io.millwright.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A static HTTP/1.1 file server on 127.0.0.1 (GET only, one request per connection): an integrator's repository server
 * for the deployment tests. Plain sockets, so that the test probe inside Felix needs no JDK-internal package.
 */
final class StaticHttpServer implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread thread;

    StaticHttpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "it-static-http");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return e.g. {@code http://127.0.0.1:41234} */
    String base() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void put(String path, byte[] content) {
        files.put(path, content);
    }

    int requests() {
        return requests.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                requests.incrementAndGet();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    // headers are not needed
                }
                String path = line == null ? "" : line.split(" ")[1];
                byte[] body = files.get(path);
                OutputStream out = s.getOutputStream();
                String head = body == null ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                // a client that went away; the next connection is served
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
