package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.Sample;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.Test;

/**
 * The uplink speaking MQTT 5 to Eclipse Mosquitto: telemetry delivered across a kill -9 of the
 * gateway (every acknowledged sample at the subscriber), birth and last will, and a command
 * round trip.
 */
public class UplinkMqtt5IT {

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    public void mqtt5DeliversAcrossAKillAnswersCommandsAndLeavesALastWill() throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker("millwright/v1/it5/#")) {
            Path data = Files.createTempDirectory("millwright-mqtt5-");
            Path etc = Files.createDirectories(data.resolve("etc"));
            Files.writeString(etc.resolve("io.millwright.simulator.plant~demo.cfg"),
                    "scalarIntervalMs=20\nwaveformIntervalMs=1000\nwaveformRateHz=2048\nwaveformSeconds=0.25\n");
            Files.writeString(etc.resolve("io.millwright.uplink.mqtt.cfg"), "brokerUri=" + broker.uri()
                    + "\nprotocol=5\ngatewayId=it5\nreconnectMinMs=200\nreconnectMaxMs=1000\n.commandHmacKey=" + SignedCommands.KEY
                    + "\nallowInsecureCommands=true\ncommandMaxBytes=4096\n");

            long beforeKill;
            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await("telemetry over MQTT 5", () -> broker.samples.get() > 3000);
                assertThat(broker.payloads("/it5/status")).anyMatch(p -> p.contains("\"state\":\"online\""));
                beforeKill = broker.samples.get();
                gateway.kill();
            }
            await("the last will after the kill", () -> broker.payloads("/it5/status").stream().anyMatch(p -> p.contains("connection lost")));

            try (GatewayProcess gateway = new GatewayProcess(data)) {
                gateway.start();
                await("telemetry after the restart", () -> broker.samples.get() > beforeKill + 3000);
                MqttClient cloud = broker.client("cloud-5");
                cloud.publish("millwright/v1/it5/commands", SignedCommands.command("p1", "ping", "").getBytes(StandardCharsets.UTF_8), 1, false);
                cloud.publish("millwright/v1/it5/commands", "{\"id\":\"p2\",\"command\":\"ping\"}".getBytes(StandardCharsets.UTF_8), 1, false);
                // over the MQTT 5 Maximum Packet Size the gateway asked for (the telemetry message bound + 16 KiB): the broker never
                // delivers it, so the gateway does not even count it
                cloud.publish("millwright/v1/it5/commands", SignedCommands.command("p3", "ping", ",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"")
                        .getBytes(StandardCharsets.UTF_8), 1, false);
                // a retained command delivered on the live subscription: Retain As Published keeps its flag, so it is ignored
                cloud.publish("millwright/v1/it5/commands", SignedCommands.command("p5", "ping", "").getBytes(StandardCharsets.UTF_8), 1, true);
                cloud.publish("millwright/v1/it5/commands", SignedCommands.command("p4", "ping", "").getBytes(StandardCharsets.UTF_8), 1, false);
                cloud.disconnect();
                await("the last response", () -> broker.payloads("/it5/responses").stream().anyMatch(r -> r.contains("\"id\":\"p4\"")));
                assertThat(broker.payloads("/it5/responses")).as("p2 has no sender identity: no reply; p3 never arrives; p5 is retained")
                        .hasSize(2).anyMatch(r -> r.contains("\"id\":\"p1\"") && r.contains("\"ok\":true"))
                        .noneMatch(r -> r.contains("\"id\":\"p2\"") || r.contains("\"id\":\"p3\"") || r.contains("\"id\":\"p5\""));
                assertThat(gateway.currentStatus()).as("p2 and p5 refused by the gateway, p3 stopped by the broker").contains("\"commandsRefused\":2");
                gateway.stop();
            }
            await("the clean shutdown status", () -> broker.payloads("/it5/status").stream().anyMatch(p -> p.contains("\"reason\":\"shutdown\"")));

            Settings settings = new Settings(data.resolve("journal"), Duration.ofMillis(50), 1_000_000, 1L << 40, 4096);
            try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
                long acknowledgedEnd = journal.openCursor("uplink-mqtt", StartAt.EARLIEST).position();
                JournalCursor check = journal.openCursor("it5-check", StartAt.EARLIEST);
                long covered = 0;
                long position = check.position();
                while (position < acknowledgedEnd) {
                    JournalRead read = check.readFrom(position, 10_000);
                    for (JournalEntry e : read.entries()) {
                        if (e.position() >= acknowledgedEnd) {
                            break;
                        }
                        for (Sample s : e.samples()) {
                            Set<Long> got = broker.sequences.get(s.channel().toString());
                            assertThat(got != null && got.contains(s.sequence())).as(s.channel() + " #" + s.sequence()).isTrue();
                            covered++;
                        }
                    }
                    position = read.nextPosition();
                }
                assertThat(covered).isGreaterThan(beforeKill);
                System.out.printf("MQTT 5: %,d acknowledged samples all delivered (%,d received, %,d duplicates)%n", covered,
                        broker.samples.get(), broker.duplicates.get());
            }
        }
    }
}
