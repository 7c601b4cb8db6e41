package io.millwright.itests;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real MQTT broker (Moquette) on 127.0.0.1 that records what it accepted: every telemetry sample
 * by channel and sequence, duplicates counted, and every other message by topic.
 */
final class MqttBroker implements AutoCloseable {

    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    final int port;
    private Server server;
    final Map<String, Set<Long>> sequences = new ConcurrentHashMap<>();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final List<String[]> messages = new CopyOnWriteArrayList<>();
    /** The journal position each telemetry message starts at, in arrival order. */
    final List<Long> telemetryStarts = new CopyOnWriteArrayList<>();

    MqttBroker() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    void start() throws IOException {
        start(new Properties());
    }

    /** Starts with extra Moquette settings, e.g. an SSL port with client authentication. */
    void start(Properties extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(2 * 1024 * 1024)); // room for the 1 MiB command UplinkIT sends
        p.putAll(extra);
        server = new Server();
        server.startServer(new MemoryConfig(p), List.of(new AbstractInterceptHandler() {
            @Override
            public String getID() {
                return "millwright-it-recorder";
            }

            @Override
            public void onSessionLoopError(Throwable error) {
                // the gateway's reconnects make the broker log these; nothing to record
            }

            @Override
            public void onPublish(InterceptPublishMessage msg) {
                try {
                    String payload = msg.getPayload().toString(StandardCharsets.UTF_8);
                    if (msg.getTopicName().endsWith("/telemetry")) {
                        record(payload);
                    } else {
                        messages.add(new String[] {msg.getTopicName(), payload, msg.isRetainFlag() ? "retained" : ""});
                    }
                } finally {
                    super.onPublish(msg);
                }
            }
        }));
    }

    private void record(String payload) {
        JsonObject o = JSON.createReader(new StringReader(payload)).readObject();
        telemetryStarts.add(o.getJsonObject("journal").getJsonObject("from").getJsonNumber("position").longValue());
        for (JsonValue c : o.getJsonArray("channels")) {
            JsonObject ch = c.asJsonObject();
            Set<Long> seqs = sequences.computeIfAbsent(ch.getString("channel"), k -> ConcurrentHashMap.newKeySet());
            for (JsonValue s : ch.getJsonArray("samples")) {
                long seq = ((JsonArray) s).getJsonNumber(0).longValue();
                samples.incrementAndGet();
                if (!seqs.add(seq)) {
                    duplicates.incrementAndGet();
                }
            }
        }
    }

    /** @return payloads of the messages on topics ending so that the gateway published with the retain flag */
    List<String> retained(String topicSuffix) {
        return messages.stream().filter(m -> m[0].endsWith(topicSuffix) && m[2].equals("retained")).map(m -> m[1]).toList();
    }

    List<String> payloads(String topicSuffix) {
        return messages.stream().filter(m -> m[0].endsWith(topicSuffix)).map(m -> m[1]).toList();
    }

    void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
