package io.millwright.itests;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Mosquitto (Debian's {@code mosquitto}, MQTT 3.1.1 and 5) started as a process on a free
 * port of 127.0.0.1, with a subscriber that records every telemetry sample and every other message.
 */
final class MosquittoBroker implements AutoCloseable {

    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());
    final int port;
    private final Process process;
    private final MqttClient subscriber;
    final Map<String, Set<Long>> sequences = new ConcurrentHashMap<>();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final List<String[]> messages = new CopyOnWriteArrayList<>();

    MosquittoBroker(String topicFilter) throws Exception {
        Path binary = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto")).stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("Eclipse Mosquitto not found: apt-get install -y mosquitto (as .ci/run does)"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("mosquitto-");
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n");
        process = new ProcessBuilder(binary.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("mosquitto did not start; see " + dir.resolve("mosquitto.log"), e);
                }
                Thread.sleep(50);
            }
        }
        subscriber = new MqttClient(uri(), "it-recorder", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        subscriber.connect(o);
        subscriber.subscribe(topicFilter, 1, (topic, message) -> {
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            if (topic.endsWith("/telemetry")) {
                record(payload);
            } else {
                messages.add(new String[] {topic, payload});
            }
        });
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private void record(String payload) {
        JsonObject o = JSON.createReader(new StringReader(payload)).readObject();
        for (JsonValue c : o.getJsonArray("channels")) {
            JsonObject ch = c.asJsonObject();
            Set<Long> seqs = sequences.computeIfAbsent(ch.getString("channel"), k -> ConcurrentHashMap.newKeySet());
            for (JsonValue s : ch.getJsonArray("samples")) {
                samples.incrementAndGet();
                if (!seqs.add(((JsonArray) s).getJsonNumber(0).longValue())) {
                    duplicates.incrementAndGet();
                }
            }
        }
    }

    List<String> payloads(String topicSuffix) {
        return messages.stream().filter(m -> m[0].endsWith(topicSuffix)).map(m -> m[1]).toList();
    }

    MqttClient client(String id) throws Exception {
        MqttClient c = new MqttClient(uri(), id, new MemoryPersistence());
        c.connect();
        return c;
    }

    @Override
    public void close() throws Exception {
        try {
            subscriber.disconnect();
            subscriber.close();
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
