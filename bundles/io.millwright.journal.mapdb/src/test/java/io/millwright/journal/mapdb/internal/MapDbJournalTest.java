package io.millwright.journal.mapdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalStatistics;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapDbJournalTest {

    private static final ChannelId A = ChannelId.parse("pump-1/speed");
    private static final ChannelId B = ChannelId.parse("motor-1/current");

    @TempDir
    Path dir;

    private MapDbJournal open(long budgetBytes) {
        return new MapDbJournal(new Settings(dir, Duration.ofMillis(10), 10_000, budgetBytes, 100), Clock.systemUTC());
    }

    private static SampleBatch batch(int n, long t0) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChannelId ch = i % 2 == 0 ? A : B;
            samples.add(new Sample(ch, 0, t0 + i, t0 + i + 5, Value.of((double) i), Quality.GOOD));
        }
        return new SampleBatch("test", samples);
    }

    private static List<Sample> readAll(JournalCursor cursor) {
        List<Sample> out = new ArrayList<>();
        while (true) {
            JournalRead read = cursor.read(1000);
            if (read.entries().isEmpty()) {
                return out;
            }
            read.entries().forEach(e -> out.addAll(e.samples()));
            cursor.advance(read.nextPosition());
        }
    }

    private static void awaitCommitted(MapDbJournal journal, long samples) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (journal.statistics().committedSamples() < samples) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not committed in time: " + journal.statistics());
            }
            Thread.sleep(5);
        }
    }

    private static List<Long> sequencesOf(List<Sample> samples, ChannelId ch) {
        return samples.stream().filter(s -> s.channel().equals(ch)).map(Sample::sequence).toList();
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void readersSeeCommittedSamplesInOrderWithPerChannelSequences() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            JournalCursor cursor = journal.openCursor("test", StartAt.EARLIEST);
            journal.append(batch(500, 1_000));
            journal.append(batch(500, 2_000));
            awaitCommitted(journal, 1000);

            List<Sample> all = readAll(cursor);
            assertThat(all).hasSize(1000);
            assertThat(sequencesOf(all, A)).isEqualTo(range(1, 500));
            assertThat(sequencesOf(all, B)).isEqualTo(range(1, 500));
            assertThat(all.get(0).value()).isEqualTo(Value.of(0.0));
            assertThat(all.get(999).sourceTimeMicros()).isEqualTo(2_499);
            assertThat(journal.statistics().cursors()).singleElement()
                    .satisfies(c -> assertThat(c.lagSamples()).isZero());
        }
    }

    @Test
    void sequencesCursorsAndDataSurviveAReopen() throws Exception {
        long position;
        int readSamples;
        try (MapDbJournal journal = open(64L << 20)) {
            JournalCursor cursor = journal.openCursor("uplink", StartAt.EARLIEST);
            journal.append(batch(300, 1_000));
            awaitCommitted(journal, 300);
            JournalRead read = cursor.read(150);
            cursor.advance(read.nextPosition());
            position = read.nextPosition();
            readSamples = read.sampleCount();
        }
        try (MapDbJournal journal = open(64L << 20)) {
            JournalCursor cursor = journal.openCursor("uplink", StartAt.EARLIEST);
            assertThat(cursor.position()).isEqualTo(position);
            journal.append(batch(100, 5_000));
            awaitCommitted(journal, 400);
            assertThat(journal.statistics().cursors().get(0).lagSamples()).isEqualTo(400 - readSamples);

            List<Sample> all = readAll(journal.openCursor("audit", StartAt.EARLIEST));
            assertThat(sequencesOf(all, A)).isEqualTo(range(1, 200));
            assertThat(sequencesOf(all, B)).isEqualTo(range(1, 200));
        }
    }

    @Test
    void aCursorAdvancedJustBeforeACleanCloseIsKept() throws Exception {
        // the advance races the commit thread's last commit: it must be written by the close either way
        for (int round = 1; round <= 150; round++) { // without the fix it failed at round 74 of 400
            long position;
            try (MapDbJournal journal = new MapDbJournal(new Settings(dir, Duration.ofMillis(1), 10_000, 64L << 20, 100), Clock.systemUTC())) {
                JournalCursor cursor = journal.openCursor("uplink", StartAt.EARLIEST);
                journal.append(batch(10, round * 100_000L));
                awaitCommitted(journal, 10L * round);
                position = journal.statistics().endPosition();
                cursor.advance(position);
            }
            try (MapDbJournal journal = open(64L << 20)) {
                assertThat(journal.openCursor("uplink", StartAt.EARLIEST).position()).as("round " + round).isEqualTo(position);
            }
        }
    }

    @Test
    void aNewLatestCursorSeesOnlyWhatComesNext() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            journal.append(batch(10, 1_000));
            awaitCommitted(journal, 10);
            JournalCursor cursor = journal.openCursor("live", StartAt.LATEST);
            journal.append(batch(4, 2_000));
            awaitCommitted(journal, 14);
            assertThat(readAll(cursor)).extracting(Sample::sourceTimeMicros).containsExactly(2_000L, 2_001L, 2_002L, 2_003L);
        }
    }

    @Test
    void theDiskBudgetDropsTheOldestEntriesAndReportsEveryLostSample() throws Exception {
        try (MapDbJournal journal = open(1L << 20)) {
            JournalCursor slow = journal.openCursor("slow", StartAt.EARLIEST);
            long appended = 0;
            for (int i = 0; i < 200; i++) {
                assertThat(journal.append(batch(1000, i * 10_000L)).accepted()).isTrue();
                appended += 1000;
                awaitCommitted(journal, appended);
            }
            JournalStatistics stats = journal.statistics();
            assertThat(stats.payloadBytes()).isLessThanOrEqualTo(1L << 20);
            assertThat(stats.droppedSamples()).isPositive();
            assertThat(stats.droppedSamples() + stats.retainedSamples()).isEqualTo(appended);
            long gapSamples = stats.gaps().stream().mapToLong(g -> g.count()).sum();
            assertThat(gapSamples).isEqualTo(stats.droppedSamples());
            assertThat(stats.gaps()).allSatisfy(g -> assertThat(g.reason()).isEqualTo("disk-budget"));

            JournalRead read = slow.read(1);
            assertThat(read.droppedSamples()).isEqualTo(stats.droppedSamples());
            long firstSeqA = read.entries().get(0).samples().stream().filter(s -> s.channel().equals(A))
                    .mapToLong(Sample::sequence).min().orElseThrow();
            long gapEndA = stats.gaps().stream().filter(g -> g.channel().equals(A)).mapToLong(g -> g.toSequence()).max()
                    .orElseThrow();
            assertThat(firstSeqA).isEqualTo(gapEndA + 1);
        }
    }

    @Test
    void entriesEveryReaderHasPassedLeaveSilentlyNotAsGaps() throws Exception {
        try (MapDbJournal journal = open(1L << 20)) {
            JournalCursor reader = journal.openCursor("keeps-up", StartAt.EARLIEST);
            for (int i = 0; i < 200; i++) {
                journal.append(batch(1000, i * 10_000L));
                awaitCommitted(journal, (i + 1) * 1000L);
                readAll(reader);
            }
            JournalStatistics stats = journal.statistics();
            assertThat(stats.retainedSamples()).as("the budget still applies").isLessThan(200_000);
            assertThat(stats.droppedSamples()).as("nothing lost: the reader had everything").isZero();
            assertThat(stats.gaps()).isEmpty();
        }
    }

    @Test
    void aFullQueueRefusesTheBatchAndCountsIt() {
        MapDbJournal journal = new MapDbJournal(new Settings(dir, Duration.ofSeconds(10), 1_000, 64L << 20, 100),
                Clock.systemUTC());
        try {
            assertThat(journal.append(batch(800, 0)).accepted()).isTrue();
            assertThat(journal.append(batch(300, 0)).accepted()).isFalse();
            assertThat(journal.statistics().refusedBatches()).isEqualTo(1);
            assertThat(journal.statistics().pendingSamples()).isEqualTo(800);
        } finally {
            journal.close();
        }
        try (MapDbJournal reopened = open(64L << 20)) {
            assertThat(reopened.statistics().committedSamples()).as("close commits what is queued").isEqualTo(800);
        }
    }

    @Test
    void aDamagedFileIsKeptAsideAndItsValidEntriesAreRecovered() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            journal.append(batch(1000, 1_000));
            awaitCommitted(journal, 1000);
        }
        Path file = dir.resolve("journal.db");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(40); // inside the store header: MapDB reports "Header checksum broken"
            raf.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        byte[] damagedBytes = Files.readAllBytes(file);

        try (MapDbJournal journal = open(64L << 20)) {
            JournalStatistics stats = journal.statistics();
            assertThat(stats.recovery()).contains("could not be opened").contains("journal.db.damaged-")
                    .contains("lost");
            List<Path> kept;
            try (Stream<Path> files = Files.list(dir)) {
                kept = files.filter(p -> p.getFileName().toString().startsWith("journal.db.damaged-")).toList();
            }
            assertThat(kept).isNotEmpty();
            Path keptMain = kept.stream().filter(p -> !p.toString().contains(".wal.")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(keptMain)).as("the damaged file is kept byte for byte").isEqualTo(damagedBytes);

            List<Sample> recovered = readAll(journal.openCursor("check", StartAt.EARLIEST));
            assertThat(recovered.size()).isEqualTo(stats.retainedSamples());
            assertThat(stats.recovery()).contains("recovered " + stats.retainedEntries() + " entries");
            List<Long> seqA = sequencesOf(recovered, A);
            assertThat(seqA).isSorted();
            journal.append(batch(2, 9_000));
            awaitCommitted(journal, stats.committedSamples() + 2);
            long lastA = journal.lastSequences().get(A);
            assertThat(lastA).as("sequences continue after recovery").isGreaterThan(seqA.isEmpty() ? 0 : seqA.get(seqA.size() - 1));
        }
    }

    @Test
    void aDamagedEntryIsSkippedAndCountedWhileTheOthersAreRead() throws Exception {
        double marker = 12345.678;
        try (MapDbJournal journal = open(64L << 20)) {
            journal.append(batch(100, 1_000));
            awaitCommitted(journal, 100);
            journal.append(new SampleBatch("test", List.of(new Sample(A, 0, 5_000, 5_001, Value.of(marker), Quality.GOOD))));
            awaitCommitted(journal, 101);
            journal.append(batch(100, 9_000));
            awaitCommitted(journal, 201);
        }
        Path file = dir.resolve("journal.db");
        byte[] bytes = Files.readAllBytes(file);
        byte[] pattern = java.nio.ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(marker)).array();
        int at = indexOf(bytes, pattern);
        assertThat(at).as("marker found in the file").isNotNegative();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at + 7);
            raf.write(bytes[at + 7] ^ 0x01);
        }
        try (MapDbJournal journal = open(64L << 20)) {
            JournalCursor cursor = journal.openCursor("check", StartAt.EARLIEST);
            JournalRead read = cursor.read(100_000);
            assertThat(read.droppedEntries()).isEqualTo(1);
            assertThat(read.sampleCount()).isEqualTo(200);
            assertThat(read.entries()).flatExtracting(JournalEntry::samples).extracting(s -> s.value().asDouble())
                    .doesNotContain(marker, marker + Math.ulp(marker), marker - Math.ulp(marker));
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aSmallerBudgetTakesEffectWithoutReopening() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            for (int i = 0; i < 100; i++) {
                assertThat(journal.append(batch(1000, i * 10_000L)).accepted()).isTrue();
                awaitCommitted(journal, (i + 1) * 1000L);
            }
            assertThat(journal.statistics().droppedSamples()).isZero();
            journal.reconfigure(new Settings(dir, Duration.ofMillis(10), 10_000, 1L << 20, 100));
            journal.append(batch(10, 2_000_000));
            awaitCommitted(journal, 100_010);
            assertThat(journal.statistics().payloadBytes()).isLessThanOrEqualTo(1L << 20);
            assertThat(journal.statistics().droppedSamples()).isPositive();
            assertThatThrownBy(() -> journal.reconfigure(new Settings(dir.resolve("elsewhere"), Duration.ofMillis(10), 10_000, 1L << 20, 100)))
                    .hasMessageContaining("cannot change while the gateway runs");
        }
    }

    @Test
    void aJournalInUseIsRefusedAndLeftAlone() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            journal.append(batch(10, 1_000));
            awaitCommitted(journal, 10);
            assertThatThrownBy(() -> open(64L << 20)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another process");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("damaged"));
            }
            journal.append(batch(10, 2_000));
            awaitCommitted(journal, 20);
        }
    }

    @Test
    void advancingBeyondTheCommittedEndIsRefused() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            JournalCursor cursor = journal.openCursor("c", StartAt.EARLIEST);
            assertThatThrownBy(() -> cursor.advance(99)).hasMessageContaining("99").hasMessageContaining("beyond");
            assertThatThrownBy(() -> journal.openCursor("bad name", StartAt.EARLIEST)).hasMessageContaining("'bad name'");
        }
    }

    @Test
    void aCursorHasOneLiveHolderAndADeletedCursorNoLongerHoldsBackTheBudget() throws Exception {
        try (MapDbJournal journal = open(1L << 20)) {
            JournalCursor first = journal.openCursor("reader", StartAt.EARLIEST);
            assertThatThrownBy(() -> journal.openCursor("reader", StartAt.EARLIEST)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'reader'").hasMessageContaining("already open");
            assertThatThrownBy(() -> journal.deleteCursor("reader")).isInstanceOf(IllegalStateException.class).hasMessageContaining("'reader'");
            journal.append(batch(10, 1_000));
            awaitCommitted(journal, 10);
            first.advance(first.read(100).nextPosition());
            first.close();
            assertThatThrownBy(() -> first.read(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            first.close(); // idempotent
            JournalCursor again = journal.openCursor("reader", StartAt.EARLIEST);
            assertThat(again.position()).as("the position survives close").isEqualTo(first.position());
            again.close();

            JournalCursor stale = journal.openCursor("stale", StartAt.EARLIEST);
            stale.close();
            assertThat(journal.deleteCursor("stale")).isTrue();
            assertThat(journal.deleteCursor("stale")).isFalse();
            long appended = 10;
            for (int i = 0; i < 200; i++) {
                journal.append(batch(1000, i * 10_000L));
                appended += 1000;
                awaitCommitted(journal, appended);
                JournalCursor r = journal.openCursor("reader", StartAt.EARLIEST);
                readAll(r);
                r.close();
            }
            JournalStatistics stats = journal.statistics();
            assertThat(stats.retainedSamples()).as("the budget thinned the journal").isLessThan(appended);
            assertThat(stats.droppedSamples()).as("the deleted cursor counts nothing as lost").isZero();
            assertThat(stats.cursors()).extracting(c -> c.name()).containsExactly("reader");
        }
        try (MapDbJournal reopened = open(1L << 20)) {
            assertThat(reopened.statistics().cursors()).extracting(c -> c.name()).as("the deletion is durable").containsExactly("reader");
        }
    }

    @Test
    void anArchiveReadsAJournalInUseWithoutChangingItsFolder() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            journal.append(batch(500, 1_000));
            awaitCommitted(journal, 500);
            long end = journal.statistics().endPosition();
            try (io.millwright.journal.api.JournalArchive archive = io.millwright.journal.mapdb.MapDbJournalArchive.open(dir)) {
                assertThat(archive.statistics().endPosition()).isEqualTo(end);
                List<Sample> all = new ArrayList<>();
                for (JournalRead r = archive.read(0, 100); !r.entries().isEmpty(); r = archive.read(r.nextPosition(), 100)) {
                    r.entries().forEach(e -> all.addAll(e.samples()));
                }
                assertThat(all).hasSize(500);
                assertThat(sequencesOf(all, A)).isEqualTo(range(1, 250));
            }
            assertThat(journal.statistics().cursors()).as("no cursor left behind").isEmpty();
        }
        assertThatThrownBy(() -> io.millwright.journal.mapdb.MapDbJournalArchive.open(dir.resolve("nowhere"))).hasMessageContaining("nowhere");
    }

    @Test
    void journalEntriesArePositionOrdered() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            for (int i = 0; i < 5; i++) {
                journal.append(batch(250, i * 1000L));
            }
            awaitCommitted(journal, 1250);
            JournalRead read = journal.openCursor("c", StartAt.EARLIEST).read(10_000);
            assertThat(read.entries()).extracting(JournalEntry::position).isSorted().doesNotHaveDuplicates();
            assertThat(read.entries()).allSatisfy(e -> assertThat(e.samples()).hasSizeLessThanOrEqualTo(100));
        }
    }

    @Test
    void aReaderInterruptedWhileItReadsDoesNotBreakTheJournal() throws Exception {
        try (MapDbJournal journal = open(64L << 20)) {
            for (int i = 0; i < 50; i++) {
                journal.append(batch(200, i * 1_000L));
            }
            awaitCommitted(journal, 10_000);
            // a component stopping its reader thread interrupts it, possibly inside MapDB's file I/O
            Thread reader = new Thread(() -> {
                try (JournalCursor cursor = journal.openCursor("interrupted", StartAt.EARLIEST)) {
                    Thread.currentThread().interrupt();
                    cursor.readFrom(cursor.position(), 10_000);
                } catch (RuntimeException e) {
                    // what the interrupted reader sees is its own business
                }
            });
            reader.start();
            reader.join(10_000);
            assertThat(readAll(journal.openCursor("other", StartAt.EARLIEST))).as("other readers read on").hasSize(10_000);
            journal.append(batch(200, 99_000_000L));
            awaitCommitted(journal, 10_200);
            assertThat(journal.statistics().recovery()).as("no commit failed").isEmpty();
            assertThat(readAll(journal.openCursor("after", StartAt.EARLIEST))).hasSize(10_200);
        }
    }

    @Test
    void aFullDiskRefusingManyChannelsOneSampleAtATimeMakesOneGapPerChannel() {
        // 200 channels, each refused sample its own gap, interleaved as a full disk refuses a plant's appends
        List<io.millwright.journal.api.Gap> gaps = new ArrayList<>();
        java.time.Instant at = java.time.Instant.parse("2026-12-01T00:00:00Z");
        for (long seq = 1; seq <= 20; seq++) {
            List<io.millwright.journal.api.Gap> refused = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                refused.add(new io.millwright.journal.api.Gap(ChannelId.parse("asset-" + c + "/x"), seq, seq, "disk-full", at));
            }
            gaps = MapDbJournal.mergeGaps(gaps, refused);
        }
        assertThat(gaps).as("one gap per channel, none fallen off the list").hasSize(200)
                .allMatch(g -> g.fromSequence() == 1 && g.toSequence() == 20);
        // a gap that does not continue the channel's newest is a gap of its own
        gaps = MapDbJournal.mergeGaps(gaps, List.of(new io.millwright.journal.api.Gap(ChannelId.parse("asset-7/x"), 25, 26, "disk-budget", at)));
        assertThat(gaps).hasSize(201).filteredOn(g -> g.channel().equals(ChannelId.parse("asset-7/x")))
                .extracting(io.millwright.journal.api.Gap::fromSequence).containsExactly(1L, 25L);
    }
}
