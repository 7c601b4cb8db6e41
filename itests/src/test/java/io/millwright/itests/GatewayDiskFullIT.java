package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.journal.api.Gap;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.testing.SmallFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * The gateway jar as a process with its data folder on a real 64 MiB filesystem that fills up, the demo plant at
 * 20 ms with vibration waveforms, an MQTT broker present and then absent: the journal turns DISK_FULL instead of
 * failing, the device shows DEGRADED and counts overruns, refused samples arrive at the broker as disk-full gaps,
 * memory stays bounded, commits resume by themselves when space returns, SIGTERM stops the gateway on a full disk,
 * and a restart on a full disk answers instead of hanging. Afterwards every sequence of every channel is in the
 * journal once or inside a gap.
 */
public class GatewayDiskFullIT {

    private static final Pattern COMMITTED = Pattern.compile("\"committedSamples\":(\\d+)");
    private static final Pattern DROPPED = Pattern.compile("\"droppedSamples\":(\\d+)");
    private static final Pattern SIM = Pattern.compile("\\{\"id\":\"sim\",\"driver\":\"[^\"]*\",\"state\":\"([A-Z_]+)\",\"detail\":\"([^\"]*)\"");

    private SmallFilesystem fs;
    private Path log;

    @Before
    public void mount() throws Exception {
        try {
            fs = SmallFilesystem.mount(Files.createTempDirectory("millwright-diskfull-"), 64);
        } catch (SmallFilesystem.Unavailable e) {
            Assume.assumeTrue(e.getMessage(), false);
        }
        log = Files.createTempFile("millwright-diskfull-", ".log");
    }

    @After
    public void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    private static long number(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String sim(String status, int group) {
        Matcher m = SIM.matcher(status);
        return m.find() ? m.group(group) : "";
    }

    private String await(GatewayProcess gateway, String what, Duration timeout, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = null;
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as("gateway alive; log " + log).isTrue();
            s = gateway.status();
            if (s != null && condition.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + s + "; log:\n" + Files.readString(log));
    }

    @Test
    public void aFullDiskIsAStateTheGatewayRecoversFromByItself() throws Exception {
        Path data = fs.root().resolve("data");
        Path etc = Files.createDirectories(data.resolve("etc"));
        Files.writeString(etc.resolve("io.millwright.simulator.plant~demo.cfg"),
                "scalarIntervalMs=20\nwaveformIntervalMs=200\nwaveformRateHz=2048\nwaveformSeconds=0.5\n");
        Files.writeString(etc.resolve("io.millwright.journal.cfg"), "reserveMb=8\n");
        try (MqttBroker broker = new MqttBroker()) {
            broker.start();
            Files.writeString(etc.resolve("io.millwright.uplink.mqtt.cfg"),
                    "brokerUri=" + broker.uri() + "\ngatewayId=it\nreconnectMinMs=200\nreconnectMaxMs=1000\n");
            try (GatewayProcess gateway = new GatewayProcess(data, log)) {
                gateway.start();
                await(gateway, "samples committed and at the broker", Duration.ofSeconds(90),
                        s -> number(COMMITTED, s) > 3000 && broker.samples.get() > 1000);

                fs.leaveFree(256 * 1024);
                String full = await(gateway, "journal DISK_FULL, device DEGRADED", Duration.ofSeconds(30),
                        s -> s.contains("\"state\":\"DISK_FULL\"") && sim(s, 1).equals("DEGRADED") && sim(s, 2).equals("disk-full"));
                long dropped = number(DROPPED, full);
                await(gateway, "refused samples counted as dropped", Duration.ofSeconds(30), s -> number(DROPPED, s) > dropped + 500);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (broker.payloads("/gaps").stream().noneMatch(p -> p.contains("disk-full")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(broker.payloads("/gaps")).as("disk-full gaps at the broker").anyMatch(p -> p.contains("disk-full"));

                broker.stop();
                Thread.sleep(8000);
                String stillFull = await(gateway, "the gateway answers on a full disk without a broker", Duration.ofSeconds(10),
                        s -> s.contains("\"state\":\"DISK_FULL\""));
                assertThat(number(DROPPED, stillFull)).isGreaterThan(dropped);

                fs.freeAll();
                long freed = System.nanoTime();
                String back = await(gateway, "commits resume", Duration.ofSeconds(30), s -> s.contains("\"state\":\"OK\""));
                System.out.printf("gateway: commits resumed %.1f s after space returned%n", (System.nanoTime() - freed) / 1e9);
                long committedBack = number(COMMITTED, back);
                await(gateway, "new samples committed, device ONLINE", Duration.ofSeconds(30),
                        s -> number(COMMITTED, s) > committedBack + 1000 && sim(s, 1).equals("ONLINE"));

                fs.leaveFree(0);
                await(gateway, "DISK_FULL again", Duration.ofSeconds(30), s -> s.contains("\"state\":\"DISK_FULL\""));
                long stopping = System.nanoTime();
                gateway.stop();
                assertThat(gateway.isAlive()).as("SIGTERM stops the gateway on a full disk").isFalse();
                System.out.printf("gateway: stopped %.1f s after SIGTERM on a full disk%n", (System.nanoTime() - stopping) / 1e9);
            }

            try (GatewayProcess restarted = new GatewayProcess(data, log)) {
                restarted.start();
                await(restarted, "a restart on a full disk answers", Duration.ofSeconds(90), s -> s.contains("\"state\":\"DISK_FULL\""));
                restarted.stop();
                assertThat(restarted.isAlive()).isFalse();
            }
        }
        String output = Files.readString(log);
        assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("InternalError");
        fs.freeAll();

        try (Stream<Path> files = Files.list(data.resolve("journal"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no write-ahead-log debris").noneMatch(n -> n.contains(".wal."));
        }
        Settings settings = new Settings(data.resolve("journal"), Duration.ofMillis(50), 1_000_000, 1L << 40, 4096);
        try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
            // a stop while commits fail on the full disk can leave the commit marker set (MapDB cannot be reopened on a full
            // disk to clear it): the next open then salvages the file up to its last complete commit — losing nothing,
            // keeping the gaps it had recorded (the fresh clone of d771012 took this path)
            assertThat(journal.statistics().recovery()).as("a clean reopen, or a salvage that lost nothing").satisfiesAnyOf(
                    r -> assertThat(r).isEmpty(), r -> assertThat(r).contains(" 0 samples lost").contains("every sequence continues"));
            List<Gap> gaps = journal.statistics().gaps();
            assertThat(gaps).anyMatch(g -> g.reason().equals("disk-full"));
            Map<ChannelId, TreeSet<Long>> read = new HashMap<>();
            try (JournalCursor cursor = journal.openCursor("it-check", StartAt.EARLIEST)) {
                while (true) {
                    JournalRead r = cursor.read(100_000);
                    if (r.entries().isEmpty()) {
                        break;
                    }
                    for (JournalEntry e : r.entries()) {
                        for (Sample s : e.samples()) {
                            assertThat(read.computeIfAbsent(s.channel(), c -> new TreeSet<>()).add(s.sequence()))
                                    .as(s.channel() + " #" + s.sequence() + " once").isTrue();
                        }
                    }
                    cursor.advance(r.nextPosition());
                }
            }
            // the restart on a full disk may have dropped the oldest entries to keep the reserve: from each channel's
            // oldest retained sample on, every sequence is in the journal once or inside a gap
            // known limit, said in the log: a stop with 0 bytes free and the spare already used (the restart on a full disk)
            // cannot record the samples it accepted and lost; then a channel's newest sequences may be neither read nor in a gap
            boolean lostWithoutRecord = output.contains("lost without a record in the file");
            for (Map.Entry<ChannelId, Long> last : journal.lastSequences().entrySet()) {
                TreeSet<Long> seen = read.getOrDefault(last.getKey(), new TreeSet<>());
                long from = seen.isEmpty() ? last.getValue() + 1 : seen.first();
                long to = lostWithoutRecord && !seen.isEmpty() ? seen.last() : last.getValue();
                for (long seq = from; seq <= to; seq++) {
                    long q = seq;
                    boolean inGap = gaps.stream().anyMatch(g -> g.channel().equals(last.getKey()) && g.fromSequence() <= q && q <= g.toSequence());
                    assertThat(seen.contains(seq) ^ inGap).as(last.getKey() + " #" + seq + " read once xor in a gap").isTrue();
                }
            }
        }
    }
}
