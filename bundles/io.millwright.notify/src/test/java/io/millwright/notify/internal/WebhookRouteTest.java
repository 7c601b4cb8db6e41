package io.millwright.notify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmContext;
import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmKpis;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.AlarmTransition;
import io.millwright.alarm.api.Alarms;
import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.testing.Await;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook route against a real HTTP server on 127.0.0.1: every notification arrives at least once across a 60 s
 * outage of the receiver (connection refused) and a restart of the route in the middle of it, in log order.
 */
class WebhookRouteTest {

    private static final AlarmContext CONTEXT = new AlarmContext("demo", "utilities", "water-1", "pump", "A");

    @TempDir
    Path dir;

    /** An alarm log in memory that a test appends to. */
    static final class Log implements Alarms {
        final List<AlarmEvent> events = new CopyOnWriteArrayList<>();

        synchronized AlarmEvent add(AlarmTransition t, int priority) {
            AlarmEvent e = new AlarmEvent(events.size() + 1, System.currentTimeMillis(), "pump-1/rul_urgency", t, AlarmState.NORMAL,
                    AlarmState.UNACKNOWLEDGED, priority, true, "WARNING", "rul_urgency is WARNING", "", "", CONTEXT);
            events.add(e);
            return e;
        }

        public List<AlarmEvent> events(long after, int max) {
            List<AlarmEvent> out = new ArrayList<>();
            for (AlarmEvent e : events) {
                if (e.sequence() > after && out.size() < max) {
                    out.add(e);
                }
            }
            return out;
        }

        public long lastSequence() {
            return events.size();
        }

        public List<Alarm> alarms() {
            return List.of();
        }

        public Optional<Alarm> alarm(String id) {
            return Optional.empty();
        }

        public Alarm acknowledge(String id, String actor, String comment) {
            throw new UnsupportedOperationException();
        }

        public Alarm shelve(String id, String actor, String reason, Instant until) {
            throw new UnsupportedOperationException();
        }

        public Alarm unshelve(String id, String actor, String comment) {
            throw new UnsupportedOperationException();
        }

        public Alarm removeFromService(String id, String actor, String reason) {
            throw new UnsupportedOperationException();
        }

        public Alarm returnToService(String id, String actor, String comment) {
            throw new UnsupportedOperationException();
        }

        public Alarm comment(String id, String actor, String comment) {
            throw new UnsupportedOperationException();
        }

        public AlarmKpis kpis(Instant from, Instant to, int operators) {
            throw new UnsupportedOperationException();
        }
    }

    /** The receiver: a CMMS's endpoint that records what it takes. */
    static final class Receiver {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        final int port;
        HttpServer server;

        Receiver(int port) throws Exception {
            this.port = port;
            start();
            // the port is fixed from now on, as a CMMS's would be
        }

        static Receiver onFreePort() throws Exception {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            return new Receiver(port);
        }

        void start() throws Exception {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                    break;
                } catch (java.net.BindException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100); // the stopped server's socket is still being released
                }
            }
            server.createContext("/work-orders", x -> {
                byte[] body = x.getRequestBody().readAllBytes();
                JsonObject o = Json.createReader(new ByteArrayInputStream(body)).readObject();
                ids.add(o.getString("id"));
                keys.add(x.getRequestHeaders().getFirst("Idempotency-Key"));
                x.sendResponseHeaders(201, -1);
                x.close();
            });
            server.start();
        }

        void stop() {
            server.stop(0);
        }
    }

    @Test
    void everyNotificationArrivesAtLeastOnceAcrossASixtySecondOutageAndARestart() throws Exception {
        Log log = new Log();
        Receiver receiver = Receiver.onFreePort();
        URI url = URI.create("http://127.0.0.1:" + receiver.port + "/work-orders");
        RouteWorker.Filter all = new RouteWorker.Filter(Set.of(), Set.of(), Set.of(), 4, Set.of());
        RouteWorker worker = start(log, url, all);
        for (int i = 0; i < 5; i++) {
            log.add(AlarmTransition.ACTIVATED, 3);
        }
        Await.until("the first 5 delivered", Duration.ofSeconds(10), () -> receiver.ids.size() >= 5);

        receiver.stop();
        long outageStart = System.nanoTime();
        Thread.sleep(1_000);
        for (int i = 0; i < 20; i++) {
            log.add(i % 2 == 0 ? AlarmTransition.ACTIVATED : AlarmTransition.ESCALATED, 2);
            Thread.sleep(1_000);
        }
        worker.stop(); // the gateway restarts during the outage
        worker = start(log, url, all);
        while (System.nanoTime() - outageStart < Duration.ofSeconds(60).toNanos()) {
            log.add(AlarmTransition.CLEARED, 4);
            Thread.sleep(2_000);
        }
        assertThat(receiver.ids).hasSize(5);
        receiver.start();
        long sent = log.lastSequence();
        Await.until("every notification delivered after the outage", Duration.ofSeconds(30),
                () -> new LinkedHashSet<>(receiver.ids).size() >= sent);
        worker.stop();

        List<String> expected = log.events.stream().map(e -> "gw-test:" + e.sequence()).toList();
        List<String> firstSeen = new ArrayList<>(new LinkedHashSet<>(receiver.ids));
        assertThat(firstSeen).as("every event at least once, in log order").isEqualTo(expected);
        assertThat(receiver.keys).as("the idempotency key is the notification's id").isEqualTo(receiver.ids);
        System.out.printf("webhook route: %d events, %d deliveries (%d duplicates) across a 60 s outage and a restart%n", sent,
                receiver.ids.size(), receiver.ids.size() - sent);
    }

    @Test
    void theFilterSelectsByAreaClassCriticalityPriorityAndTransition() {
        RouteWorker.Filter cmms = new RouteWorker.Filter(Set.of("utilities"), Set.of("pump"), Set.of("A", "B"), 2,
                Set.of(AlarmTransition.ACTIVATED, AlarmTransition.ESCALATED));
        Log log = new Log();
        assertThat(cmms.matches(log.add(AlarmTransition.ACTIVATED, 2))).isTrue();
        assertThat(cmms.matches(log.add(AlarmTransition.ACTIVATED, 3))).as("priority 3 > 2").isFalse();
        assertThat(cmms.matches(log.add(AlarmTransition.ACKNOWLEDGED, 1))).isFalse();
        AlarmEvent other = new AlarmEvent(9, 0, "motor-1/trip", AlarmTransition.ACTIVATED, AlarmState.NORMAL, AlarmState.UNACKNOWLEDGED, 1, true,
                "", "", "", "", new AlarmContext("demo", "packaging", "conveyor-1", "motor", "B"));
        assertThat(cmms.matches(other)).as("another area").isFalse();
    }

    @Test
    void aNotificationCarriesAssetAlarmPriorityRulLineageAndRunbook() {
        Log log = new Log();
        AlarmEvent e = log.add(AlarmTransition.ESCALATED, 1);
        Alarm alarm = new Alarm("pump-1/rul_urgency", "pump-1", "rul_urgency", AlarmDefinition.parse("rul_urgency STATE rul_urgency states=WARNING:3,CRITICAL:1"),
                CONTEXT, AlarmState.UNACKNOWLEDGED, true, false, 1, 0, 0, "CRITICAL", "rul_urgency is CRITICAL", null, null, false, false, false,
                new Alarm.Runbook("Change the bearing within 48 h", "https://cmms.example/runbooks/pump-bearing-change"));
        Twin twin = new Twin("pump-1", List.of(new Twin.Reported("lineage", Double.NaN, "model=pump-bearing-rul version=2 sha256=ab", "", "GOOD", "", 1, false)),
                List.of(), OperatingState.RUNNING, 0, new Twin.Health(1, List.of(), List.of(), Map.of(1, 1), 41.5, "h", "CRITICAL", "pump-bearing-rul@2"),
                null, null, 0);
        JsonObject o = Json.createReader(new ByteArrayInputStream(Notification.json("gw1", e, alarm, null, twin))).readObject();
        assertThat(o.getString("id")).isEqualTo("gw1:1");
        assertThat(o.getString("alarm")).isEqualTo("pump-1/rul_urgency");
        assertThat(o.getInt("priority")).isEqualTo(1);
        assertThat(o.getJsonObject("asset").getString("criticality")).isEqualTo("A");
        assertThat(o.getJsonObject("health").getJsonNumber("rul").doubleValue()).isEqualTo(41.5);
        assertThat(o.getJsonObject("health").getString("lineage")).startsWith("model=pump-bearing-rul version=2");
        assertThat(o.getJsonObject("runbook").getString("text")).isEqualTo("Change the bearing within 48 h");
        assertThat(o.getJsonObject("workOrder").getString("description")).contains("Runbook: Change the bearing within 48 h").contains("pump-bearing-rul@2");
        assertThat(o.getJsonObject("workOrder").getString("externalId")).isEqualTo("gw1:1");
    }

    private RouteWorker start(Log log, URI url, RouteWorker.Filter filter) {
        RoutePosition position = new RoutePosition(dir, "cmms", 0);
        RouteWorker w = new RouteWorker("cmms", log, filter, new WebhookSink(url, Duration.ofSeconds(2), Map.of()), position,
                e -> Notification.json("gw-test", e, null, null, null), 100, 2_000);
        Thread t = new Thread(w, "notify-cmms");
        t.setDaemon(true);
        t.start();
        return w;
    }
}
