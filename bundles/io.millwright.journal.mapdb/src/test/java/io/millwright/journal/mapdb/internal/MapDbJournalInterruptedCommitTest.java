package io.millwright.journal.mapdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalState;
import io.millwright.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies while MapDB writes a commit into the store file in place. MapDB 3.1 does not replay its
 * write-ahead log, so such a file may open and still be broken inside (a fresh clone's GatewayCrashIT: after a kill -9
 * every later commit failed); the commit marker makes the next start salvage the file up to the last complete commit.
 */
class MapDbJournalInterruptedCommitTest {

    private static final List<ChannelId> CHANNELS = List.of(ChannelId.parse("pump-1/speed"), ChannelId.parse("pump-1/temperature"),
            ChannelId.parse("motor-1/current"));

    @TempDir
    Path dir;

    private static MapDbJournal open(Path dir) {
        return new MapDbJournal(new Settings(dir, Duration.ofMillis(5), 100_000, 1L << 30, 40), Clock.systemUTC());
    }

    private static List<Sample> readAll(MapDbJournal journal) {
        List<Sample> out = new ArrayList<>();
        try (JournalCursor c = journal.openCursor("check", StartAt.EARLIEST)) {
            while (true) {
                JournalRead r = c.read(100_000);
                assertThat(r.droppedEntries()).isZero();
                if (r.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : r.entries()) {
                    out.addAll(e.samples());
                }
                c.advance(r.nextPosition());
            }
        }
        journal.deleteCursor("check");
        return out;
    }

    private static void append(MapDbJournal journal, int from, int count) {
        long t = 1_000_000L + from * 1000L;
        for (int i = from; i < from + count; i++) {
            t += 1000;
            journal.append(new SampleBatch("plc", List.of(new Sample(CHANNELS.get(i % 3), 0, t, t, Value.of(i * 0.5), Quality.GOOD))));
        }
    }

    /** Every channel's sequences run 1, 2, 3 … without a hole or a repeat, in time order. */
    private static void assertSequencesWhole(List<Sample> samples) {
        Map<ChannelId, Long> last = new HashMap<>();
        for (Sample s : samples) {
            long expected = last.getOrDefault(s.channel(), 0L) + 1;
            assertThat(s.sequence()).as("%s after %d", s.channel(), expected - 1).isEqualTo(expected);
            last.put(s.channel(), s.sequence());
        }
    }

    @Test
    void aMarkerLeftByADeadProcessTakesTheJournalBackToTheCommitBeforeAndSequencesContinue() throws Exception {
        List<Sample> before;
        Map<ChannelId, Long> lastBefore;
        try (MapDbJournal journal = open(dir)) {
            append(journal, 0, 1200);
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 1200);
            before = readAll(journal);
            lastBefore = journal.lastSequences();
        }
        // what the journal is now, as the commit thread would have written it into the marker before its next commit; with a
        // gap it had recorded (as for samples refused on a full disk), which the salvage must keep
        CommitMarker.Before marker;
        ChannelId first = lastBefore.keySet().iterator().next();
        io.millwright.journal.api.Gap recorded = new io.millwright.journal.api.Gap(first, 3, 4, "disk-full", java.time.Instant.ofEpochMilli(1_000));
        try (JournalStore store = JournalStore.open(dir, Clock.systemUTC())) {
            store.blobs.put("gaps", GapCodec.encode(List.of(recorded)));
            store.db.commit();
            Map<Integer, Long> last = new HashMap<>();
            Map<Integer, ChannelId> names = new HashMap<>();
            Recovery.readDictionary(store, names, last);
            marker = new CommitMarker.Before(store.highWater(), store.counter(JournalStore.NEXT_POSITION), last);
        }
        try (MapDbJournal journal = open(dir)) {
            append(journal, 1200, 300);
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 1500);
        }
        // the process died after MapDB wrote those commits and before it cleared the marker of the first of them
        try (CommitMarker m = CommitMarker.open(dir)) {
            m.set(marker);
        }
        try (MapDbJournal journal = open(dir)) {
            assertThat(journal.statistics().recovery()).contains("the last run ended during a commit")
                    .contains("half-written file removed").contains("every sequence continues");
            assertThat(readAll(journal)).as("exactly what the last complete commit held").isEqualTo(before);
            assertThat(journal.lastSequences()).isEqualTo(lastBefore);
            assertThat(journal.statistics().committedSamples()).isEqualTo(1200);
            assertThat(journal.statistics().gaps()).as("the gaps recorded before the interrupted commit").contains(recorded);
            append(journal, 1200, 30);
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 1230);
            assertSequencesWhole(readAll(journal));
        }
        try (MapDbJournal journal = open(dir)) {
            assertThat(journal.statistics().recovery()).as("the marker was cleared: a clean open").isEmpty();
            assertThat(readAll(journal)).hasSize(1230);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("interrupted") || n.contains("damaged"));
        }
    }

    @Test
    void aMarkerThatDidNotReachTheDiskWholeIsIgnored() throws Exception {
        try (MapDbJournal journal = open(dir)) {
            append(journal, 0, 600);
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 600);
        }
        byte[] torn = new CommitMarker.Before(null, 7, Map.of(0, 3L)).encode();
        Files.write(dir.resolve(CommitMarker.FILE), java.util.Arrays.copyOf(torn, torn.length - 3));
        try (MapDbJournal journal = open(dir)) {
            assertThat(journal.statistics().recovery()).isEmpty();
            assertThat(readAll(journal)).hasSize(600);
        }
    }

    /**
     * The real thing: a child JVM appends three channels as fast as it can with a commit every 5 ms and is killed with
     * SIGKILL at a random moment, six times over. After every kill the journal opens, holds every sample the child
     * saw committed, with whole sequences, and commits again (before the marker, a kill inside a commit left a store
     * whose every later commit failed).
     */
    @Test
    void killedAtRandomMomentsTheJournalAlwaysReopensWholeAndCommits() throws Exception {
        Random random = new Random(5);
        int interrupted = 0;
        for (int round = 0; round < 6; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), AppendChild.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            long seenCommitted = -1;
            int reports = 0;
            int killAfter = 5 + random.nextInt(20);
            String line;
            StringBuilder log = new StringBuilder();
            while ((line = out.readLine()) != null) {
                log.append(line).append('\n');
                if (line.startsWith("committed ")) {
                    seenCommitted = Long.parseLong(line.substring(10));
                    if (++reports == killAfter) {
                        break;
                    }
                }
            }
            assertThat(reports).as("child output: %s", log).isEqualTo(killAfter);
            Thread.sleep(random.nextInt(7));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (MapDbJournal journal = open(dir)) {
                String recovery = journal.statistics().recovery();
                if (recovery.contains("during a commit")) {
                    interrupted++;
                    assertThat(recovery).contains("every sequence continues");
                } else {
                    assertThat(recovery).as("round %d", round).isEmpty();
                }
                List<Sample> all = readAll(journal);
                assertThat((long) all.size()).as("round %d: every sample the child saw committed", round).isGreaterThanOrEqualTo(seenCommitted);
                assertSequencesWhole(all);
                long now = journal.statistics().committedSamples();
                append(journal, all.size(), 30);
                Await.until("round " + round + ": a commit after the kill", Duration.ofSeconds(10),
                        () -> journal.statistics().committedSamples() == now + 30);
                assertThat(journal.statistics().state()).isEqualTo(JournalState.OK);
            }
        }
        System.out.println("killedAtRandomMoments: " + interrupted + " of 6 kills landed inside a commit");
    }

    /** The child of {@link #killedAtRandomMomentsTheJournalAlwaysReopensWholeAndCommits}. */
    public static final class AppendChild {
        public static void main(String[] args) throws Exception {
            MapDbJournal journal = open(Path.of(args[0]));
            long start = journal.statistics().committedSamples();
            int i = (int) start;
            long lastReported = -1;
            while (true) {
                append(journal, i, 100);
                i += 100;
                long committed = journal.statistics().committedSamples();
                if (committed != lastReported) {
                    System.out.println("committed " + committed);
                    System.out.flush();
                    lastReported = committed;
                }
                Thread.sleep(2);
            }
        }
    }
}
