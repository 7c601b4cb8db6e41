package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The gateway jar as a process: killed with SIGKILL while the simulated plant streams at 50 Hz,
 * restarted, stopped. Every sample it had committed before the kill must still be in the journal,
 * in order, and sequences must continue after the restart.
 */
public class GatewayCrashIT {

    private static final Pattern COMMITTED = Pattern.compile("\"committedSamples\":(\\d+)");
    private static final Pattern PUMP_SPEED = Pattern.compile(
            "\"name\":\"pump-1\".*?\"tag\":\"speed\",[^}]*?\"value\":([-0-9.eE]+),[^}]*?\"sequence\":(\\d+)");

    private static long committed(String status) {
        Matcher m = COMMITTED.matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static boolean twin(ChannelId c) {
        // q.*: the data-quality reader's, at least once too (a window counted before a kill is counted again after it)
        return c.tag().startsWith("twin.") || c.tag().startsWith("alarm.") || c.tag().startsWith("kpi.") || c.tag().startsWith("q.");
    }

    private static boolean derived(ChannelId c) {
        return c.tag().startsWith("f.") || c.tag().startsWith("s.") || twin(c);
    }

    private static String awaitStatus(GatewayProcess gateway, String what, Duration timeout,
            java.util.function.Predicate<String> condition) throws InterruptedException, java.io.IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("gateway alive; log: " + gateway.log()).isTrue();
            String s = gateway.status();
            if (s != null && condition.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        // the log's end: CI shows only part of a long message, and the restart is at the end
        List<String> lines = Files.readAllLines(gateway.log());
        throw new AssertionError("timed out waiting for " + what + "; last status " + gateway.status() + "; end of the log:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }

    @Test
    public void everySampleCommittedBeforeAKillMinus9IsStillThereInOrder() throws Exception {
        Path data = Files.createTempDirectory("millwright-crash-");
        Files.createDirectories(data.resolve("etc"));
        // a site override through the watched folder: a faster plant, so that the kill lands mid-stream
        Files.writeString(data.resolve("etc").resolve("io.millwright.simulator.plant~demo.cfg"),
                "scalarIntervalMs=20\nwaveformIntervalMs=200\nwaveformRateHz=2048\nwaveformSeconds=0.25\n");

        long committedBeforeKill;
        long speedSeqBeforeKill;
        double speedValueBeforeKill;
        try (GatewayProcess gateway = new GatewayProcess(data)) {
            gateway.start();
            String status = awaitStatus(gateway, "5000 committed samples", Duration.ofSeconds(60), s -> committed(s) > 5000);
            // the live view reads only committed entries: what it shows is durable
            Matcher m = PUMP_SPEED.matcher(status);
            assertThat(m.find()).as("pump-1/speed in " + status).isTrue();
            speedValueBeforeKill = Double.parseDouble(m.group(1));
            speedSeqBeforeKill = Long.parseLong(m.group(2));
            committedBeforeKill = committed(status);
            // the journal's own log lines are there in every start (they once went missing in about 1 start in 10)
            assertThat(Files.readString(gateway.log())).contains("journal open at").contains("journal: first");
            assertThat(speedSeqBeforeKill).as("the 20 ms override was applied").isGreaterThan(100);
            gateway.kill();
        }

        try (GatewayProcess gateway = new GatewayProcess(data)) {
            gateway.start();
            awaitStatus(gateway, "new samples after the restart", Duration.ofSeconds(60),
                    s -> committed(s) > committedBeforeKill + 500);
            assertThat(Files.readString(gateway.log()).split("journal open at", -1)).as("a journal open line per start").hasSize(3);
            // a second gateway on the folder in use leaves at once, naming the folder and the process that holds it
            try (GatewayProcess second = new GatewayProcess(data, "second-gateway.log")) {
                second.start();
                assertThat(second.awaitExit(Duration.ofSeconds(30))).as("exit status; log " + second.log()).isEqualTo(3);
                assertThat(Files.readString(second.log())).contains("the data folder " + data.toAbsolutePath() + " is in use by another gateway (pid ");
            }
            assertThat(gateway.isAlive()).as("the first gateway runs on").isTrue();
            awaitStatus(gateway, "the first gateway still committing", Duration.ofSeconds(30), s -> committed(s) > committedBeforeKill + 1000);
            gateway.stop();
        }

        Settings settings = new Settings(data.resolve("journal"), Duration.ofMillis(50), 1_000_000, 1L << 40, 4096);
        try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
            assertThat(journal.statistics().recovery()).as("clean reopen").isEmpty();
            assertThat(journal.statistics().committedSamples()).isGreaterThan(committedBeforeKill);
            JournalCursor cursor = journal.openCursor("crash-check", StartAt.EARLIEST);
            Map<ChannelId, List<Sample>> byChannel = new HashMap<>();
            while (true) {
                JournalRead read = cursor.read(100_000);
                assertThat(read.droppedEntries()).isZero();
                if (read.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : read.entries()) {
                    for (Sample s : e.samples()) {
                        byChannel.computeIfAbsent(s.channel(), c -> new ArrayList<>()).add(s);
                    }
                }
                cursor.advance(read.nextPosition());
            }
            // the plant's 36 channels (pump 12, motor 11 with its rejects, compressor 13 with its discharge temperature); the
            // demo model's feature and score channels (f.*, s.*) join once its first 20 s
            // window is complete, which depends on how long the two runs took, and the twin's (twin.state, twin.health,
            // alarm.<name>) when something changes: their sequences are checked too
            assertThat(byChannel.keySet().stream().filter(c -> !derived(c))).as("the plant's channels").hasSize(36);
            for (Map.Entry<ChannelId, List<Sample>> e : byChannel.entrySet()) {
                List<Sample> samples = e.getValue();
                for (int i = 0; i < samples.size(); i++) {
                    assertThat(samples.get(i).sequence()).as(e.getKey() + " sequence " + i).isEqualTo(i + 1);
                    // the twin's channels are at least once: after a kill -9 it hands ingest again what the journal had taken
                    // but its own store had not yet recorded as taken, with the original times
                    if (i > 0 && !twin(e.getKey())) {
                        assertThat(samples.get(i).sourceTimeMicros()).as(e.getKey() + " in time order")
                                .isGreaterThanOrEqualTo(samples.get(i - 1).sourceTimeMicros());
                    }
                }
            }
            List<Sample> speed = byChannel.get(ChannelId.parse("pump-1/speed"));
            assertThat(speed.size()).as("pump-1/speed samples after the restart too").isGreaterThan((int) speedSeqBeforeKill);
            assertThat(speed.get((int) speedSeqBeforeKill - 1).value().asDouble())
                    .as("the sample the live view showed before the kill, unchanged").isEqualTo(speedValueBeforeKill);
        }
    }
}
