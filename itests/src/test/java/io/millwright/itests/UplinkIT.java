package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.Sample;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.testing.GatewayHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;

/**
 * The MQTT uplink of the real gateway process against a real broker (Moquette) on 127.0.0.1:
 * every committed sample reaches the broker across a broker outage of 60 s and across a kill -9
 * of the gateway; commands get responses; bad commands change nothing.
 */
public class UplinkIT {

    private static final int OUTAGE_SECONDS = Integer.getInteger("millwright.it.outageSeconds", 60);
    private static final Pattern BACKLOG = Pattern.compile("\"backlogSamples\":(\\d+)");
    private static final Pattern CONNECTED = Pattern.compile("\"uplinks\":\\[\\{[^]]*?\"connected\":(true|false)");
    private static final Pattern COMMITTED = Pattern.compile("\"committedSamples\":(\\d+)");

    private static Path dataFolder(MqttBroker broker, String extraUplink) throws Exception {
        Path data = Files.createTempDirectory("millwright-uplink-");
        Path etc = Files.createDirectories(data.resolve("etc"));
        Files.writeString(etc.resolve("io.millwright.simulator.plant~demo.cfg"),
                "scalarIntervalMs=20\nwaveformIntervalMs=1000\nwaveformRateHz=2048\nwaveformSeconds=0.25\n");
        Files.writeString(etc.resolve("io.millwright.uplink.mqtt.cfg"),
                "brokerUri=" + broker.uri() + "\ngatewayId=it\nreconnectMinMs=200\nreconnectMaxMs=1000\n.commandHmacKey=" + SignedCommands.KEY
                        // the in-process test broker speaks plain TCP: commands need the insecure flag here (SecurityIT uses TLS)
                        + "\nallowInsecureCommands=true\n" + extraUplink);
        return data;
    }

    private static long number(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String await(GatewayProcess gateway, String what, Duration timeout, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = null;
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("gateway alive; log " + gateway.log()).isTrue();
            s = gateway.status();
            if (s != null && condition.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + s + "; log:\n" + Files.readString(gateway.log()));
    }

    private static boolean connected(String status) {
        Matcher m = CONNECTED.matcher(status);
        return m.find() && m.group(1).equals("true");
    }

    /**
     * After the gateway stopped: every sample before the uplink's durable cursor (which moves only on
     * PUBACK) is at the broker, and that range covers at least {@code mustCover} samples — everything
     * committed before the outage ended or before the kill.
     */
    private static void assertEverythingAcknowledgedArrived(Path data, MqttBroker broker, long mustCover) {
        Settings settings = new Settings(data.resolve("journal"), Duration.ofMillis(50), 1_000_000, 1L << 40, 4096);
        try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
            JournalCursor uplink = journal.openCursor("uplink-mqtt", StartAt.EARLIEST);
            long acknowledgedEnd = uplink.position();
            JournalCursor check = journal.openCursor("it-check", StartAt.EARLIEST);
            long covered = 0;
            long position = check.position();
            while (position < acknowledgedEnd) {
                JournalRead read = check.readFrom(position, 10_000);
                assertThat(read.droppedEntries()).isZero();
                for (JournalEntry e : read.entries()) {
                    if (e.position() >= acknowledgedEnd) {
                        break;
                    }
                    for (Sample s : e.samples()) {
                        Set<Long> got = broker.sequences.get(s.channel().toString());
                        assertThat(got != null && got.contains(s.sequence())).as(s.channel() + " #" + s.sequence() + " at the broker").isTrue();
                        covered++;
                    }
                }
                position = read.nextPosition();
            }
            assertThat(covered).as("acknowledged samples cover everything committed before the outage/kill").isGreaterThanOrEqualTo(mustCover);
            System.out.printf("uplink: %,d acknowledged samples all at the broker (%,d received, %,d duplicates)%n", covered,
                    broker.samples.get(), broker.duplicates.get());
        }
    }

    @Test
    public void aBrokerOutageUnderLoadLosesNothing() throws Exception {
        try (MqttBroker broker = new MqttBroker()) {
            broker.start();
            Path data = dataFolder(broker, "");
            long mustCover;
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await(gateway, "samples at the broker", Duration.ofSeconds(60), s -> broker.samples.get() > 2000);
                assertThat(broker.payloads("/status")).as("birth message").anyMatch(p -> p.contains("\"state\":\"online\""));

                broker.stop();
                long outageStart = System.nanoTime();
                String during = await(gateway, "the uplink notices the outage", Duration.ofSeconds(30), s -> !connected(s));
                Thread.sleep(Math.max(0, OUTAGE_SECONDS * 1000L - (System.nanoTime() - outageStart) / 1_000_000));
                during = gateway.currentStatus();
                long backlog = number(BACKLOG, during);
                assertThat(backlog).as("backlog grows while the broker is down").isGreaterThan(1000);
                assertThat(during).contains("\"lastError\":\"connect failed");

                long committedAtReconnect = number(COMMITTED, gateway.currentStatus());
                broker.start();
                long reconnected = System.nanoTime();
                await(gateway, "backlog drained", Duration.ofSeconds(120), s -> connected(s) && number(BACKLOG, s) < 2000);
                double seconds = (System.nanoTime() - reconnected) / 1e9;
                System.out.printf("outage of %d s: backlog of %,d samples drained in %.1f s (%.0f samples/s)%n", OUTAGE_SECONDS, backlog,
                        seconds, backlog / seconds);
                gateway.stop();
                mustCover = committedAtReconnect;
            }
            assertEverythingAcknowledgedArrived(data, broker, mustCover);
        }
    }

    @Test
    public void liveFirstInterleavesNewSamplesWithTheBacklogAndStillLosesNothing() throws Exception {
        try (MqttBroker broker = new MqttBroker()) {
            broker.start();
            // a bandwidth cap of 150 kB/s makes the backlog take seconds to drain, long enough to see the order
            Path data = dataFolder(broker, "order=live-first\nmaxBytesPerSecond=150000\n");
            long mustCover;
            long liveBoundary;
            int messagesBefore;
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await(gateway, "samples at the broker", Duration.ofSeconds(60), s -> broker.samples.get() > 2000);
                broker.stop();
                await(gateway, "the uplink notices the outage", Duration.ofSeconds(30), s -> !connected(s));
                Thread.sleep(10_000);
                String status = gateway.status();
                Matcher m = Pattern.compile("\\{\"name\":\"live-view\",\"position\":(\\d+)").matcher(status);
                assertThat(m.find()).as(status).isTrue();
                liveBoundary = Long.parseLong(m.group(1)); // at most the journal's end when the uplink reconnects
                mustCover = number(COMMITTED, status);
                messagesBefore = broker.telemetryStarts.size();
                broker.start();
                await(gateway, "backlog drained", Duration.ofSeconds(90), s -> connected(s) && number(BACKLOG, s) < 2000);
                gateway.stop();
            }
            java.util.List<Long> after = broker.telemetryStarts.subList(messagesBefore, broker.telemetryStarts.size());
            int firstLive = -1;
            int lastBacklog = -1;
            for (int i = 0; i < after.size(); i++) {
                if (firstLive < 0 && after.get(i) >= liveBoundary + 20) {
                    firstLive = i;
                }
                if (after.get(i) < liveBoundary) {
                    lastBacklog = i;
                }
            }
            assertThat(lastBacklog).as("backlog sent after the outage").isPositive();
            assertThat(firstLive).as("new samples went out while the backlog was still draining: " + after + " boundary " + liveBoundary)
                    .isBetween(0, lastBacklog);
            assertEverythingAcknowledgedArrived(data, broker, mustCover);
        }
    }

    @Test
    public void aKillMinus9UnderLoadLosesNothing() throws Exception {
        try (MqttBroker broker = new MqttBroker()) {
            broker.start();
            Path data = dataFolder(broker, "");
            long beforeKill;
            long committedBeforeKill;
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await(gateway, "samples at the broker", Duration.ofSeconds(60), s -> broker.samples.get() > 3000);
                beforeKill = broker.samples.get();
                committedBeforeKill = number(COMMITTED, gateway.currentStatus());
                gateway.kill();
            }
            Thread.sleep(500);
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await(gateway, "more samples after the restart", Duration.ofSeconds(60),
                        s -> connected(s) && broker.samples.get() > beforeKill + 3000 && number(BACKLOG, s) < 2000);
                gateway.stop();
            }
            assertEverythingAcknowledgedArrived(data, broker, committedBeforeKill);
        }
    }

    @Test
    public void whatTheDiskBudgetDropsIsReportedAsGapsAndEverythingElseArrives() throws Exception {
        try (MqttBroker broker = new MqttBroker()) {
            Path data = dataFolder(broker, "");
            Files.writeString(data.resolve("etc").resolve("io.millwright.journal.cfg"), "budgetMb=1\n");
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await(gateway, "the journal drops samples at its 1 MiB budget", Duration.ofSeconds(120),
                        s -> number(Pattern.compile("\"droppedSamples\":(\\d+)"), s) > 5000);
                broker.start();
                await(gateway, "backlog drained", Duration.ofSeconds(60), s -> connected(s) && number(BACKLOG, s) < 2000);
                Thread.sleep(1000);
                gateway.stop();
            }
            java.util.List<String> gaps = broker.payloads("/gaps");
            assertThat(gaps).as("gap reports").isNotEmpty();
            Map<String, java.util.List<long[]>> gapRanges = new java.util.HashMap<>();
            Pattern gap = Pattern.compile("\"channel\":\"([^\"]+)\",\"fromSequence\":(\\d+),\"toSequence\":(\\d+)");
            for (String g : gaps) {
                Matcher m = gap.matcher(g);
                assertThat(m.find()).as(g).isTrue();
                gapRanges.computeIfAbsent(m.group(1), k -> new java.util.ArrayList<>())
                        .add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            }
            Settings settings = new Settings(data.resolve("journal"), Duration.ofMillis(50), 1_000_000, 1L << 40, 4096);
            try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
                long acknowledgedEnd = journal.openCursor("uplink-mqtt", StartAt.EARLIEST).position();
                JournalRead tail = journal.openCursor("it-tail", StartAt.EARLIEST).readFrom(acknowledgedEnd, Integer.MAX_VALUE);
                Map<String, Long> unsentFrom = new java.util.HashMap<>();
                for (JournalEntry e : tail.entries()) {
                    for (Sample smp : e.samples()) {
                        unsentFrom.merge(smp.channel().toString(), smp.sequence(), Math::min);
                    }
                }
                long gapSamples = 0;
                for (Map.Entry<io.millwright.api.ChannelId, Long> e : journal.lastSequences().entrySet()) {
                    String ch = e.getKey().toString();
                    long upTo = unsentFrom.getOrDefault(ch, e.getValue() + 1) - 1;
                    Set<Long> got = broker.sequences.getOrDefault(ch, Set.of());
                    for (long seq = 1; seq <= upTo; seq++) {
                        long q = seq;
                        boolean inGap = gapRanges.getOrDefault(ch, java.util.List.of()).stream().anyMatch(r -> q >= r[0] && q <= r[1]);
                        assertThat(got.contains(seq) || inGap).as(ch + " #" + seq + " delivered or reported as a gap").isTrue();
                        if (inGap) {
                            gapSamples++;
                        }
                    }
                }
                assertThat(gapSamples).as("gap samples reported").isEqualTo(journal.statistics().droppedSamples());
                System.out.printf("disk budget: %,d samples dropped, all reported in %d gap messages; %,d delivered%n", gapSamples,
                        gaps.size(), broker.samples.get());
            }
        }
    }

    @Test
    public void commandsGetResponsesAndBadOnesChangeNothing() throws Exception {
        try (MqttBroker broker = new MqttBroker()) {
            broker.start();
            Path data = dataFolder(broker, "");
            MqttClient cloud = new MqttClient(broker.uri(), "cloud-it", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            cloud.connect(o);
            String commands = "millwright/v1/it/commands";
            // retained commands are tested against Mosquitto (UplinkMqtt5IT): Moquette 0.17 delivers a retained message to a
            // new subscription without the retained flag, which MQTT 3.1.1 (3.3.1.3) requires
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await(gateway, "uplink connected", Duration.ofSeconds(60), UplinkIT::connected);
                String c1 = SignedCommands.command("c1", "ping", "");
                send(cloud, commands, c1);
                send(cloud, commands, "this is not json");
                send(cloud, commands, "{\"id\":\"c3\",\"timestamp\":\"" + java.time.Instant.now() + "\",\"command\":\"set-config\",\"hmac\":\""
                        + "00".repeat(32) + "\",\"args\":{\"pid\":\"io.millwright.journal\",\"properties\":{\"budgetMb\":1}}}");
                send(cloud, commands, SignedCommands.command("c4", "self-destruct", ""));
                send(cloud, commands, SignedCommands.command("c5", "set-config",
                        ",\"args\":{\"pid\":\"io.millwright.journal\",\"properties\":{\"commitIntervalMs\":40}}"));
                send(cloud, commands, SignedCommands.command("c5b", "set-config",
                        ",\"args\":{\"pid\":\"io.millwright.journal\",\"properties\":{\"commitIntervalMs\":0}}"));
                send(cloud, commands, SignedCommands.command("c5c", "set-config",
                        ",\"args\":{\"pid\":\"io.millwright.journal\",\"properties\":{\"comitIntervalMs\":20}}"));
                send(cloud, commands, SignedCommands.command("c5d", "set-config",
                        ",\"args\":{\"pid\":\"io.millwright.uplink.mqtt\",\"properties\":{\"brokerUri\":\"tcp://attacker:1883\"}}"));
                send(cloud, commands, SignedCommands.command("c6", "get-config", ",\"args\":{\"pid\":\"io.millwright.journal\"}"));
                send(cloud, commands, SignedCommands.command("c7", "status", ""));
                send(cloud, commands, c1); // replayed
                send(cloud, commands, SignedCommands.command("c1s", "ping", "").replaceFirst("\"timestamp\":\"[^\"]*\"",
                        "\"timestamp\":\"2020-01-01T00:00:00Z\"")); // stale, and its signature no longer matches either
                send(cloud, commands, SignedCommands.sign("{\"id\":\"c1t\",\"timestamp\":\"2020-01-01T00:00:00Z\",\"command\":\"ping\"}"));
                // a setpoint write goes through the write guard: one it takes, one its bounds refuse (motor-1: engineers, 900-1700 rpm)
                GatewayHttp rest = gateway.http();
                long twinDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!String.valueOf(rest.getOrNull("/api/v1/assets/motor-1/twin")).contains("\"tag\":\"speed_setpoint\",\"number\"")
                        && System.nanoTime() < twinDeadline) {
                    Thread.sleep(200);
                }
                send(cloud, commands, SignedCommands.command("w1", "write", ",\"args\":{\"asset\":\"motor-1\",\"tag\":\"speed_setpoint\",\"value\":1600,"
                        + "\"reason\":\"cloud schedule\"}"));
                send(cloud, commands, SignedCommands.command("w2", "write", ",\"args\":{\"asset\":\"motor-1\",\"tag\":\"speed_setpoint\",\"value\":2500}"));
                // the optimizer's kill switch from the cloud: pump-1's optimizer, enabled over REST, stopped by a command
                while (!String.valueOf(rest.getOrNull("/api/v1/assets/pump-1/twin")).contains("\"tag\":\"speed_setpoint\",\"number\"")
                        && System.nanoTime() < twinDeadline) {
                    Thread.sleep(200);
                }
                HttpResponse<String> enabled = rest.send(rest.request("/api/v1/assets/pump-1/optimizer/enable").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"min\":1100,\"max\":1750,\"maxChangePerHour\":600,\"periodSeconds\":3600}")).build());
                assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
                send(cloud, commands, SignedCommands.command("o1", "optimizer-stop", ",\"args\":{\"asset\":\"pump-1\",\"reason\":\"cloud says stop\"}"));
                send(cloud, commands, SignedCommands.command("o2", "optimizer-stop", ",\"args\":{\"asset\":\"motor-1\"}"));
                send(cloud, commands, SignedCommands.command("c10", "ping", ",\"pad\":\"" + "x".repeat(1024 * 1024) + "\""));
                send(cloud, commands, SignedCommands.command("c11", "ping", "")); // after all the refused ones: still answered
                cloud.disconnect();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (broker.payloads("/responses").stream().noneMatch(r -> r.contains("\"id\":\"c11\"")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                java.util.List<String> responses = broker.payloads("/responses");
                assertThat(responses).as("answered: c1 c4 c5 c5b c5c c5d c6 c7 w1 w2 o1 o2 c11; no reply to the malformed, unauthorized, "
                        + "replayed, stale and 1 MiB ones").hasSize(13);
                assertThat(response(responses, "o1")).as("the optimizer stopped from the cloud").contains("\"ok\":true")
                        .contains("\"state\":\"STOPPED\"");
                assertThat(response(responses, "o2")).contains("\"ok\":false").contains("no optimizer is configured for 'motor-1'");
                assertThat(rest.getOrNull("/api/v1/assets/pump-1/optimizer")).contains("\"stopReason\":\"kill switch: cloud says stop\"");
                assertThat(response(responses, "w1")).as("taken by the write guard").contains("\"ok\":true").contains("\"status\":\"PENDING\"");
                assertThat(response(responses, "w2")).contains("\"ok\":false")
                        .contains("write refused by rule bounds: 2500 rpm is outside motor-1/speed_setpoint's bounds 900 to 1700 rpm");
                assertThat(response(responses, "c1")).contains("\"ok\":true").contains("\"pong\"");
                assertThat(response(responses, "c4")).contains("\"ok\":false").contains("unknown command 'self-destruct'");
                assertThat(response(responses, "c5")).contains("\"ok\":true").contains("\"updated\":1");
                assertThat(response(responses, "c5b")).as("a value the journal refuses is refused before it is stored").contains("\"ok\":false")
                        .contains("commitIntervalMs=0");
                assertThat(response(responses, "c5c")).as("a misspelt attribute").contains("\"ok\":false")
                        .contains("attribute 'comitIntervalMs' of io.millwright.journal is not open to commands");
                assertThat(response(responses, "c5d")).as("the uplink's own PID").contains("\"ok\":false").contains("must be one of");
                assertThat(response(responses, "c6")).as("the refused values changed nothing").contains("\"commitIntervalMs\":\"40\"")
                        .contains("\"budgetMb\":\"1024\"").doesNotContain("comitIntervalMs");
                assertThat(response(responses, "c7")).contains("\"connected\":true").contains("\"devices\"");
                assertThat(response(responses, "c11")).contains("\"ok\":true");
                String status = gateway.status();
                assertThat(number(COMMITTED, status)).as("journal still committing").isPositive();
                assertThat(number(Pattern.compile("\"commandsRefused\":(\\d+)"), status)).as("malformed, c3, replay, c1s, c1t, 1 MiB")
                        .isEqualTo(6);
                String trail = Files.readString(data.resolve("audit/audit.log"));
                for (String expected : java.util.List.of("wrong signature", "replayed: command id 'c1'", "stale: timestamp 2020-01-01T00:00:00Z",
                        "over the cap of 65536", "malformed: not JSON")) {
                    assertThat(trail).as("audited: " + expected).contains(expected);
                }
                assertThat(trail).containsPattern("\"action\":\"command.set-config\"[^\\n]*\"before\":\\{\"commitIntervalMs\":\"50\"\\},"
                        + "\"after\":\\{\"commitIntervalMs\":\"40\"\\}");
                assertThat(trail).as("the write, attributed to the command's sender, with before and after")
                        .containsPattern("\"actor\":\"hmac-key\",\"role\":\"engineer\",\"source\":\"mqtt\",[^\\n]*\"action\":\"write.request\","
                                + "\"target\":\"motor-1/speed_setpoint\",\"before\":\\{\"value\":\"1485.0\"\\}[^\\n]*\"result\":\"ok\"");
                assertThat(trail).as("the configuration change itself, attributed to the command's sender")
                        .containsPattern("\"actor\":\"hmac-key\",\"role\":\"engineer\",\"source\":\"mqtt\",[^\\n]*\"action\":\"config.update\"");

                MqttClient again = new MqttClient(broker.uri(), "cloud-it-2", new MemoryPersistence());
                again.connect(o);
                send(again, commands, SignedCommands.command("c8", "reconnect", ""));
                again.disconnect();
                await(gateway, "reconnected on command", Duration.ofSeconds(20),
                        s -> connected(s) && number(Pattern.compile("\"reconnects\":(\\d+)"), s) >= 1);
                assertThat(response(broker.payloads("/responses"), "c8")).contains("\"reconnecting\":true");
                long onlineBirths = broker.payloads("/status").stream().filter(p -> p.contains("\"state\":\"online\"")).count();
                assertThat(onlineBirths).as("a birth message per connection").isGreaterThanOrEqualTo(2);
                gateway.stop();
            }
        }
    }

    private static void send(MqttClient client, String topic, String payload) throws Exception {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static String response(java.util.List<String> responses, String id) {
        return responses.stream().filter(r -> r.contains("\"id\":\"" + id + "\"")).findFirst().orElseThrow(
                () -> new AssertionError("no response to " + id + " in " + responses));
    }
}
