package io.millwright.journal.mapdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.Waveform;
import io.millwright.journal.api.AppendResult;
import io.millwright.journal.api.Gap;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalState;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.testing.Await;
import io.millwright.testing.SmallFilesystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on a real, small filesystem (a tmpfs the test mounts; CI runs as root) that fills up: nothing accepted is
 * lost silently, what is refused is counted with its gaps, no write-ahead-log debris, recovery by itself.
 */
class MapDbJournalDiskFullTest {

    private static final ChannelId A = ChannelId.parse("pump-1/speed");
    private static final ChannelId B = ChannelId.parse("pump-1/vibration");
    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;
    private SmallFilesystem fs;
    private Path dir;

    @BeforeEach
    void mount() throws Exception {
        try {
            fs = SmallFilesystem.mount(tmp, 32);
        } catch (SmallFilesystem.Unavailable e) {
            Assumptions.abort(e.getMessage());
        }
        dir = fs.root().resolve("journal");
    }

    @AfterEach
    void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    private Settings settings() {
        return new Settings(dir, Duration.ofMillis(10), 100_000, 1L << 30, 1000, 4 * MIB, 8 * MIB);
    }

    private static long t;

    private static SampleBatch scalars(int n) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t++;
            samples.add(new Sample(i % 2 == 0 ? A : B, 0, t, t, Value.of((double) i), Quality.GOOD));
        }
        return new SampleBatch("test", samples);
    }

    private static SampleBatch waveform(int points) {
        t++;
        return new SampleBatch("test", List.of(new Sample(B, 0, t, t, new Waveform(new double[points], 25_600), Quality.GOOD)));
    }

    private static List<Sample> readAll(JournalCursor cursor) {
        List<Sample> out = new ArrayList<>();
        while (true) {
            JournalRead read = cursor.read(5000);
            if (read.entries().isEmpty()) {
                return out;
            }
            read.entries().forEach(e -> out.addAll(e.samples()));
            cursor.advance(read.nextPosition());
        }
    }

    private List<String> writeAheadLogs() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".wal.")).toList();
        }
    }

    /** Between commits no write-ahead-log file is left (a commit in flight has one for a few ms). */
    private void awaitNoWriteAheadLog() throws InterruptedException {
        Await.until("no write-ahead-log file between commits", Duration.ofSeconds(5), () -> {
            try {
                return writeAheadLogs().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Every sequence 1..last of each channel is read once, or lies in a gap: nothing lost silently, nothing twice. */
    private static void assertEverySequenceReadOnceOrInAGap(List<Sample> read, List<Gap> gaps, Map<ChannelId, Long> last) {
        for (ChannelId ch : List.of(A, B)) {
            TreeSet<Long> seen = new TreeSet<>();
            for (Sample s : read) {
                if (s.channel().equals(ch)) {
                    assertThat(seen.add(s.sequence())).as("%s sequence %d read twice", ch, s.sequence()).isTrue();
                }
            }
            for (long seq = 1; seq <= last.get(ch); seq++) {
                long q = seq;
                boolean inGap = gaps.stream().anyMatch(g -> g.channel().equals(ch) && g.fromSequence() <= q && q <= g.toSequence());
                assertThat(seen.contains(seq) || inGap).as("%s sequence %d neither read nor in a gap", ch, seq).isTrue();
                assertThat(seen.contains(seq) && inGap).as("%s sequence %d read and in a gap", ch, seq).isFalse();
            }
        }
    }

    @Test
    void aFullDiskRefusesSamplesAtOnceCountsThemAsGapsAndCommitsResumeWhenSpaceReturns() throws Exception {
        try (MapDbJournal journal = new MapDbJournal(settings(), Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                assertThat(journal.append(scalars(200)).accepted()).isTrue();
            }
            Await.until("first samples committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 10_000);

            fs.leaveFree(256 * 1024);
            long refusedSamples = 0;
            Map<ChannelId, Long> last = new HashMap<>();
            Await.until("DISK_FULL", Duration.ofSeconds(10), () -> {
                journal.append(scalars(20));
                return journal.statistics().state() == JournalState.DISK_FULL;
            });
            JournalStatistics full = journal.statistics();
            assertThat(full.usableBytes()).isLessThan(full.reserveBytes());
            long pendingWhenFull = full.pendingSamples();
            long droppedBefore = full.droppedSamples();
            for (int i = 0; i < 100; i++) {
                AppendResult r = journal.append(scalars(200));
                assertThat(r.accepted()).isFalse();
                assertThat(r.diskFull()).isTrue();
                refusedSamples += 200;
            }
            JournalStatistics refusing = journal.statistics();
            assertThat(refusing.droppedSamples() - droppedBefore).as("refused samples counted as dropped").isEqualTo(refusedSamples);
            assertThat(refusing.pendingSamples()).as("nothing queues in memory while the disk is full").isEqualTo(pendingWhenFull);
            assertThat(refusing.gaps()).anyMatch(g -> g.reason().equals("disk-full") && g.channel().equals(A) && g.count() >= 10_000);
            assertThat(writeAheadLogs()).as("no write-ahead-log files while DISK_FULL").isEmpty();

            fs.freeAll();
            long freed = System.nanoTime();
            Await.until("commits resume", Duration.ofSeconds(10), () -> journal.statistics().state() == JournalState.OK);
            System.out.printf("journal resumed %.0f ms after space returned%n", (System.nanoTime() - freed) / 1e6);
            for (int i = 0; i < 10; i++) {
                assertThat(journal.append(scalars(200)).accepted()).isTrue();
            }
            Await.until("all committed", Duration.ofSeconds(10), () -> journal.statistics().pendingSamples() == 0);
            awaitNoWriteAheadLog();

            JournalStatistics after = journal.statistics();
            journal.lastSequences().forEach(last::put);
            try (JournalCursor cursor = journal.openCursor("check", StartAt.EARLIEST)) {
                List<Sample> read = readAll(cursor);
                assertEverySequenceReadOnceOrInAGap(read, after.gaps(), last);
                long resumedFirst = read.stream().filter(s -> s.channel().equals(A)).mapToLong(Sample::sequence).max().orElseThrow();
                long refusedLast = after.gaps().stream().filter(g -> g.channel().equals(A) && g.reason().equals("disk-full"))
                        .mapToLong(Gap::toSequence).max().orElseThrow();
                assertThat(resumedFirst).as("sequences go on after the refused ones, never reused").isGreaterThan(refusedLast);
            }
        }
        // the counts and gaps of what was refused survive a restart
        try (MapDbJournal reopened = new MapDbJournal(settings(), Clock.systemUTC())) {
            assertThat(reopened.statistics().gaps()).anyMatch(g -> g.reason().equals("disk-full"));
            assertThat(reopened.lastSequences().get(A)).isGreaterThan(0);
        }
    }

    @Test
    void aCommitThatFailsOnTheFullDiskIsRetriedWithoutDebrisAndLandsOnceWhenSpaceReturns() throws Exception {
        // the free-space check is blinded, so MapDB itself meets the full disk (ENOSPC) as it would after a race
        try (MapDbJournal journal = new MapDbJournal(settings(), Clock.systemUTC(), () -> Long.MAX_VALUE)) {
            for (int i = 0; i < 20; i++) {
                assertThat(journal.append(scalars(200)).accepted()).isTrue();
            }
            Await.until("first samples committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 4000);
            fs.leaveFree(0);
            long accepted = 4000;
            int full = 0;
            for (int i = 0; i < 400; i++) {
                AppendResult r = journal.append(i % 4 == 0 ? waveform(16_384) : scalars(200));
                if (r.accepted()) {
                    accepted += i % 4 == 0 ? 1 : 200;
                } else {
                    full++;
                }
                Thread.sleep(2);
            }
            JournalStatistics failing = journal.statistics();
            assertThat(failing.state()).isEqualTo(JournalState.FAILING);
            assertThat(failing.recovery()).contains("last commit failed");
            assertThat(full).as("the queue's memory bound (8 MiB) refused appends instead of filling the heap").isPositive();
            assertThat(failing.pendingSamples()).as("accepted samples wait in memory for the disk").isPositive();
            int mostLogs = 0;
            for (int i = 0; i < 20; i++) {
                mostLogs = Math.max(mostLogs, writeAheadLogs().size());
                Thread.sleep(50);
            }
            assertThat(mostLogs).as("failed commits leave no write-ahead-log files behind (at most the one being written)")
                    .isLessThanOrEqualTo(1);

            fs.freeAll();
            long want = accepted;
            Await.until("everything accepted committed", Duration.ofSeconds(20),
                    () -> journal.statistics().committedSamples() == want && journal.statistics().pendingSamples() == 0);
            assertThat(journal.statistics().state()).isEqualTo(JournalState.OK);
            awaitNoWriteAheadLog();
            Map<ChannelId, Long> last = journal.lastSequences();
            try (JournalCursor cursor = journal.openCursor("check", StartAt.EARLIEST)) {
                List<Sample> read = readAll(cursor);
                assertThat(read).hasSize((int) accepted);
                assertEverySequenceReadOnceOrInAGap(read, List.of(), last);
            }
        }
    }

    @Test
    void restartOnAFullDiskDoesNotHangServesWhatItHoldsAndResumesWhenSpaceReturns() throws Exception {
        try (MapDbJournal journal = new MapDbJournal(settings(), Clock.systemUTC())) {
            for (int i = 0; i < 20; i++) {
                journal.append(scalars(200));
            }
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 4000);
        }
        fs.leaveFree(0);
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<MapDbJournal> opening = starter.submit(() -> new MapDbJournal(settings(), Clock.systemUTC()));
            try (MapDbJournal journal = opening.get(30, TimeUnit.SECONDS)) {
                try (JournalCursor cursor = journal.openCursor("reader", StartAt.EARLIEST)) {
                    assertThat(readAll(cursor)).as("what the journal holds is served on a full disk").hasSize(4000);
                }
                Await.until("DISK_FULL", Duration.ofSeconds(10), () -> {
                    journal.append(scalars(2));
                    return journal.statistics().state() == JournalState.DISK_FULL;
                });
                fs.freeAll();
                Await.until("commits resume", Duration.ofSeconds(10), () -> journal.statistics().state() == JournalState.OK);
                assertThat(journal.append(scalars(200)).accepted()).isTrue();
                Await.until("committed after restart", Duration.ofSeconds(10), () -> journal.statistics().pendingSamples() == 0);
                Map<ChannelId, Long> last = journal.lastSequences();
                assertThat(last.get(A)).as("sequences continue across the restart").isGreaterThan(2000);
                try (JournalCursor cursor = journal.openCursor("all", StartAt.EARLIEST)) {
                    assertEverySequenceReadOnceOrInAGap(readAll(cursor), journal.statistics().gaps(), last);
                }
            }
        } finally {
            starter.shutdownNow();
        }
    }

    @Test
    void aStopOnAFullDiskKeepsWhatWasAcceptedAndTheRecordOfWhatWasRefused() throws Exception {
        long accepted = 0;
        long refused = 0;
        long lastAssigned;
        try (MapDbJournal journal = new MapDbJournal(settings(), Clock.systemUTC())) {
            assertThat(Files.size(dir.resolve(SpareSpace.FILE))).as("spare space kept beside the store").isEqualTo(MapDbJournal.SPARE_BYTES);
            for (int i = 0; i < 20; i++) {
                journal.append(scalars(200));
            }
            accepted = 4000;
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 4000);
            fs.leaveFree(0);
            while (journal.statistics().state() != JournalState.DISK_FULL) {
                AppendResult r = journal.append(scalars(20));
                if (r.accepted()) {
                    accepted += 20;
                } else {
                    refused += 20;
                }
                Thread.sleep(1);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(journal.append(scalars(200)).diskFull()).isTrue();
                refused += 200;
            }
            lastAssigned = journal.lastSequences().get(A);
        }
        try (MapDbJournal reopened = new MapDbJournal(settings(), Clock.systemUTC())) {
            JournalStatistics s = reopened.statistics();
            assertThat(s.committedSamples()).as("everything accepted before the disk filled was written at the stop").isEqualTo(accepted);
            assertThat(s.droppedSamples()).as("what was refused is on record").isEqualTo(refused);
            assertThat(s.gaps()).anyMatch(g -> g.reason().equals("disk-full") && g.channel().equals(A) && g.toSequence() == lastAssigned);
            assertThat(reopened.lastSequences().get(A)).as("no sequence number will be used twice").isEqualTo(lastAssigned);
        }
    }

    @Test
    void aDamagedJournalOnAFullDiskIsLeftForTheNextStartWithAReasonNotLost() throws Exception {
        try (MapDbJournal journal = new MapDbJournal(settings(), Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                journal.append(scalars(200));
            }
            Await.until("committed", Duration.ofSeconds(10), () -> journal.statistics().committedSamples() == 2000);
        }
        Path file = dir.resolve("journal.db");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.write(new byte[16]);
        }
        byte[] damaged = Files.readAllBytes(file);
        Files.deleteIfExists(dir.resolve(SpareSpace.FILE));
        fs.leaveFree(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MapDbJournal(settings(), Clock.systemUTC()))
                .isInstanceOf(JournalUnavailableException.class).hasMessageContaining("is damaged")
                .hasMessageContaining("free space in " + dir);
        assertThat(Files.readAllBytes(file)).as("the damaged file is left as it was").isEqualTo(damaged);
        fs.freeAll();
        try (MapDbJournal journal = new MapDbJournal(settings(), Clock.systemUTC())) {
            assertThat(journal.statistics().recovery()).contains("recovered");
            assertThat(journal.statistics().committedSamples()).as("salvaged at the next start").isEqualTo(2000);
        }
    }
}
