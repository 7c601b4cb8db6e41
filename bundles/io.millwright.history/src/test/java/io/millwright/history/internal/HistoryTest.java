package io.millwright.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.millwright.api.ChannelId;
import io.millwright.api.DoubleValue;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Waveform;
import io.millwright.history.api.HistoryPoint;
import io.millwright.history.api.HistoryQuery;
import io.millwright.history.api.HistorySeries;
import io.millwright.history.api.Resolution;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history against a real MapDB journal: every answer equals a brute-force computation over the journal's raw
 * samples (random ranges and point counts, every level), and a rollup process killed with {@code kill -9} in the
 * middle loses no window and counts none twice.
 */
class HistoryTest {

    static final ChannelId TEMP = new ChannelId("pump-1", "bearing_temperature");
    static final ChannelId SPEED = new ChannelId("pump-1", "speed");
    static final ChannelId VIBRATION = new ChannelId("pump-1", "vibration");
    /** Far enough in the past that rollups are queried, recent enough that nothing is past its retention. */
    static final long START = (System.currentTimeMillis() - Duration.ofDays(4).toMillis()) * 1000;
    static final Retention KEEP_ALL = new Retention(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 1L << 40);

    @TempDir
    Path dir;

    @Test
    void answersEqualABruteForceComputationOverTheRawJournal() throws Exception {
        MapDbJournal journal = journal(dir.resolve("journal"));
        List<Sample> written = fill(journal, 3, 40_000);
        try (HistoryStore store = HistoryStore.open(dir.resolve("history"), Clock.systemUTC());
                JournalCursor cursor = journal.openCursor("history", StartAt.EARLIEST)) {
            RollupReader reader = new RollupReader(store, cursor, journal::statistics, Clock.systemUTC(), KEEP_ALL, 0);
            while (reader.step(true) > 0) {
                // until the journal is read
            }
            List<Sample> raw = readAll(journal);
            assertThat(raw).hasSize(written.size());
            Random random = new Random(7);
            int[] levels = new int[3];
            for (int i = 0; i < 300; i++) {
                ChannelId channel = i % 3 == 0 ? SPEED : i % 3 == 1 ? TEMP : VIBRATION;
                long span = (long) Math.pow(10, 6 + random.nextDouble() * 5.5) * 1000; // 1 s .. ~4 days
                long from = START - 3_600_000_000L + (long) (random.nextDouble() * (3 * 86_400_000_000L));
                int points = 1 + random.nextInt(i % 2 == 0 ? 50 : 2000);
                HistoryQuery q = new HistoryQuery(channel, instant(from), instant(from + span), points, false);
                HistorySeries answer = store.query(q);
                levels[answer.resolution().ordinal()]++;
                assertThat(answer.points()).as("at most the points asked for").hasSizeLessThanOrEqualTo(points);
                List<HistoryPoint> expected = bruteForce(raw, channel, from, from + span, answer);
                assertThat(answer.points()).as("query %s -> %s, bucket %d", q, answer.resolution(), answer.bucketMicros()).hasSameSizeAs(expected);
                for (int p = 0; p < expected.size(); p++) {
                    HistoryPoint e = expected.get(p);
                    HistoryPoint a = answer.points().get(p);
                    assertThat(a.timeMicros()).isEqualTo(e.timeMicros());
                    assertThat(a.count()).isEqualTo(e.count());
                    assertThat(a.min()).isEqualTo(e.min());
                    assertThat(a.max()).isEqualTo(e.max());
                    assertThat(a.last()).isEqualTo(e.last());
                    assertThat(a.mean()).isCloseTo(e.mean(), within(1e-9 * Math.max(1, Math.abs(e.mean()))));
                    assertThat(a.badShare()).isCloseTo(e.badShare(), within(1e-12));
                }
            }
            assertThat(java.util.Arrays.stream(levels).boxed().toList()).as("raw, minute and hour levels all answered").allMatch(n -> n > 10);
            // raw samples older than two days trimmed by their retention: a short old range comes from the minutes
            long now = System.currentTimeMillis() * 1000;
            store.trim(now, new Retention(Long.MAX_VALUE / 4, 2 * 86_400_000_000L, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 1L << 40));
            long oldFrom = START + 3_600_000_000L;
            HistorySeries old = store.query(new HistoryQuery(TEMP, instant(oldFrom), instant(oldFrom + 600_000_000L), 1000, false));
            assertThat(old.resolution()).as("raw trimmed: minutes answer").isEqualTo(Resolution.MINUTE);
            assertThat(old.points()).hasSameSizeAs(bruteForce(raw, TEMP, oldFrom, oldFrom + 600_000_000L, old)).isNotEmpty();
            HistorySeries recent = store.query(new HistoryQuery(TEMP, instant(now - 86_400_000_000L), instant(now - 86_000_000_000L), 1000, false));
            assertThat(recent.resolution()).as("recent raw kept").isEqualTo(Resolution.RAW);
            HistorySeries blocks = store.query(new HistoryQuery(VIBRATION, instant(START), instant(START + 86_400_000_000L), 5, true));
            assertThat(blocks.waveforms()).hasSize(5);
            assertThat(blocks.waveforms().get(0).points()).hasSize(64);
        } finally {
            journal.close();
        }
    }

    @Test
    void refusesBadRangesNamingTheField() {
        assertThatThrownBy(() -> new HistoryQuery(TEMP, Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), 10, false))
                .hasMessageStartingWith("to: ");
        assertThatThrownBy(() -> new HistoryQuery(TEMP, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"), 0, false))
                .hasMessageStartingWith("points: 0");
    }

    @Test
    void aRollupKilledInTheMiddleLosesNoWindowAndCountsNoneTwice() throws Exception {
        Path journalDir = dir.resolve("journal");
        MapDbJournal journal = journal(journalDir);
        List<Sample> written = fill(journal, 2, 30_000);
        journal.close();
        // a child JVM rolls up in small committed steps; it is killed (SIGKILL) at a random moment after some of
        // them, five times over, each time resuming where the last one left off
        Random random = new Random(11);
        long lastResumed = -1;
        int restored = 0;
        for (int round = 0; round < 5; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), RollupChild.class.getName(), journalDir.toString(), dir.resolve("history").toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int commits = 0;
            String line;
            long resumed = -2;
            while ((line = out.readLine()) != null) {
                if (line.equals("opened RESTORED")) {
                    restored++;
                }
                if (line.startsWith("resumed ")) {
                    resumed = Long.parseLong(line.substring(8));
                }
                if (line.startsWith("committed") && ++commits == 8) {
                    break;
                }
            }
            assertThat(commits).as("child output until the kill: %s", line).isEqualTo(8);
            assertThat(resumed).as("round %d resumes after the last", round).isGreaterThan(lastResumed);
            lastResumed = resumed;
            Thread.sleep(random.nextInt(25));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (var files = Files.list(dir.resolve("history"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no store set aside as damaged").noneMatch(n -> n.contains("damaged"));
        }
        System.out.println("rounds that started from the checkpoint (killed inside a commit): " + restored + " of 5");
        journal = journal(journalDir);
        try (HistoryStore store = HistoryStore.open(dir.resolve("history"), Clock.systemUTC())) {
            assertThat(store.position()).as("the child committed part of the way").isPositive();
            readToTheEndAndCompare(store, journal, written);
        } finally {
            journal.close();
        }
    }

    @Test
    void aCommitTornByACrashStartsFromTheCheckpointAndCountsNothingTwice() throws Exception {
        Path journalDir = dir.resolve("journal");
        MapDbJournal journal = journal(journalDir);
        try {
            List<Sample> written = fill(journal, 5, 12_000);
            Path file = dir.resolve("history").resolve(HistoryStore.FILE);
            long checkpointed;
            byte[] atCheckpoint;
            try (HistoryStore store = HistoryStore.open(dir.resolve("history"), Clock.systemUTC());
                    JournalCursor cursor = journal.openCursor("history", StartAt.EARLIEST)) {
                RollupReader reader = new RollupReader(store, cursor, journal::statistics, Clock.systemUTC(), KEEP_ALL, 0, Long.MAX_VALUE, 300);
                for (int i = 0; i < 10; i++) {
                    reader.step(true);
                }
                store.checkpoint();
                checkpointed = store.position();
                atCheckpoint = Files.readAllBytes(file);
                for (int i = 0; i < 10; i++) {
                    reader.step(true);
                }
                assertThat(store.position()).isGreaterThan(checkpointed);
                // held back, the cursor would make the journal count as lost what the history has read (its budget drops)
                assertThat(cursor.position()).as("the journal cursor follows the commits, not the checkpoint").isEqualTo(store.position());
            }
            // a commit that dies half way: every other 4 KiB page of the file as it was at the checkpoint, the rest newer
            byte[] later = Files.readAllBytes(file);
            byte[] torn = later.clone();
            for (int page = 1; page * 4096 < Math.min(torn.length, atCheckpoint.length); page += 2) {
                System.arraycopy(atCheckpoint, page * 4096, torn, page * 4096, Math.min(4096, atCheckpoint.length - page * 4096));
            }
            try (StoreCheckpoint state = StoreCheckpoint.prepare(file)) {
                assertThat(state.opening()).isEqualTo(StoreCheckpoint.Opening.CLEAN);
                assertThatThrownBy(() -> state.commit(() -> {
                    try {
                        Files.write(file, torn);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    throw new IllegalStateException("killed inside the commit");
                })).hasMessage("killed inside the commit");
            }
            try (HistoryStore store = HistoryStore.open(dir.resolve("history"), Clock.systemUTC())) {
                assertThat(store.opening()).isEqualTo(StoreCheckpoint.Opening.RESTORED);
                // the cursor is ahead of the checkpoint: the reader starts from the store's position and reads again what the
                // journal retains (readToTheEndAndCompare fails if it started from the cursor)
                assertThat(store.position()).as("back at the checkpoint").isEqualTo(checkpointed);
                assertThat(Files.readAllBytes(file)).as("the file is the checkpoint's").isEqualTo(atCheckpoint);
                readToTheEndAndCompare(store, journal, written);
            }
        } finally {
            journal.close();
        }
    }

    /** Reads the rest of the journal into the store; every minute window then equals the brute force over the raw samples. */
    private static void readToTheEndAndCompare(HistoryStore store, MapDbJournal journal, List<Sample> written) {
        try (JournalCursor cursor = journal.openCursor("history", StartAt.EARLIEST)) {
            RollupReader reader = new RollupReader(store, cursor, journal::statistics, Clock.systemUTC(), KEEP_ALL, 0);
            while (reader.step(true) > 0) {
                // until the journal is read
            }
            List<Sample> raw = readAll(journal);
            assertThat(raw).hasSize(written.size());
            assertThat(raw.get(raw.size() - 1).sourceTimeMicros()).as("test data within the 4 days queried").isLessThan(START + 4 * 86_400_000_000L - 3_600_000_000L);
            for (ChannelId channel : List.of(TEMP, SPEED)) {
                // every minute window of the whole range, one point per minute: equal to the brute force
                long from = Math.floorDiv(START, HistoryStore.MINUTE) * HistoryStore.MINUTE;
                long to = from + 4 * 86_400_000_000L;
                HistorySeries minutes = store.query(new HistoryQuery(channel, instant(from), instant(to), 5760, false));
                assertThat(minutes.resolution()).isEqualTo(Resolution.MINUTE);
                List<HistoryPoint> expected = bruteForce(raw, channel, from, to, minutes);
                assertThat(minutes.points().stream().mapToLong(HistoryPoint::count).sum()).isEqualTo(raw.stream().filter(s -> s.channel().equals(channel)).count());
                assertThat(minutes.points()).hasSameSizeAs(expected);
                for (int p = 0; p < expected.size(); p++) {
                    assertThat(minutes.points().get(p).count()).as("window %d", p).isEqualTo(expected.get(p).count());
                    assertThat(minutes.points().get(p).max()).isEqualTo(expected.get(p).max());
                }
            }
        }
    }

    /** Rolls the journal up in small committed steps until killed. */
    public static final class RollupChild {
        public static void main(String[] args) throws Exception {
            MapDbJournal journal = journal(Path.of(args[0]));
            HistoryStore store = HistoryStore.open(Path.of(args[1]), Clock.systemUTC());
            JournalCursor cursor = journal.openCursor("history", StartAt.EARLIEST);
            // a checkpoint every 30 ms, about every third commit: the kill lands in commits, checkpoints and between them
            RollupReader reader = new RollupReader(store, cursor, journal::statistics, Clock.systemUTC(), KEEP_ALL, 0, 30, 300);
            System.out.println("opened " + store.opening());
            System.out.println("resumed " + reader.position());
            while (true) {
                reader.step(true);
                System.out.println("committed " + store.position());
                System.out.flush();
            }
        }
    }

    static MapDbJournal journal(Path dir) {
        return new MapDbJournal(new Settings(dir, Duration.ofMillis(10), 100_000, 1L << 30, 100, 1L << 20, 64L << 20), Clock.systemUTC());
    }

    /** Writes random samples over three days of source time (gaps, BAD quality, late arrivals) and waits for the commit. */
    static List<Sample> fill(MapDbJournal journal, int seed, int count) throws InterruptedException {
        Random random = new Random(seed);
        List<Sample> all = new ArrayList<>();
        List<Sample> batch = new ArrayList<>();
        long t = START;
        for (int i = 0; i < count; i++) {
            t += 1_000_000L * (1 + random.nextInt(8));
            if (random.nextInt(2000) == 0) {
                t += 3_600_000_000L; // a gap of an hour
            }
            long time = random.nextInt(50) == 0 ? t - random.nextInt(90_000_000) : t; // now and then a late sample
            Quality q = random.nextInt(20) == 0 ? Quality.bad("sensor") : Quality.GOOD;
            ChannelId channel = random.nextBoolean() ? TEMP : SPEED;
            double v = channel == TEMP ? 40 + 20 * Math.sin(i / 500.0) + random.nextGaussian() : Math.round(1450 + random.nextGaussian() * 30);
            batch.add(Sample.of(channel, time, new DoubleValue(v), q));
            if (i % 100 == 0) {
                double[] points = new double[64];
                for (int p = 0; p < points.length; p++) {
                    points[p] = random.nextGaussian();
                }
                batch.add(Sample.of(VIBRATION, t, new Waveform(points, 4096), Quality.GOOD));
            }
            if (batch.size() >= 200) {
                append(journal, batch, all);
            }
        }
        append(journal, batch, all);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (journal.statistics().committedSamples() < all.size()) {
            assertThat(System.nanoTime()).as("journal commits within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        return all;
    }

    private static void append(MapDbJournal journal, List<Sample> batch, List<Sample> all) {
        if (batch.isEmpty()) {
            return;
        }
        List<Sample> stamped = new ArrayList<>();
        for (Sample s : batch) {
            stamped.add(s.ingested(s.sourceTimeMicros(), s.quality()));
        }
        assertThat(journal.append(new SampleBatch("test", stamped)).accepted()).isTrue();
        all.addAll(stamped);
        batch.clear();
    }

    static List<Sample> readAll(MapDbJournal journal) {
        List<Sample> out = new ArrayList<>();
        try (JournalCursor c = journal.openCursor("brute-force", StartAt.EARLIEST)) {
            while (true) {
                JournalRead r = c.read(10_000);
                if (r.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : r.entries()) {
                    out.addAll(e.samples());
                }
                c.advance(r.nextPosition());
            }
        }
        journal.deleteCursor("brute-force");
        return out;
    }

    /**
     * What the answer must hold, computed from the raw samples alone: each sample its own point when the answer has
     * no buckets, otherwise the answer's buckets (aligned to multiples of their width) aggregated sample by sample.
     */
    static List<HistoryPoint> bruteForce(List<Sample> raw, ChannelId channel, long from, long to, HistorySeries answer) {
        List<HistoryPoint> out = new ArrayList<>();
        long width = answer.bucketMicros();
        if (width == 0) {
            for (Sample s : raw) {
                long t = s.sourceTimeMicros();
                if (s.channel().equals(channel) && t >= from && t < to) {
                    double v = value(s);
                    out.add(new HistoryPoint(t, v, v, v, 1, v, s.quality().level() == QualityLevel.BAD ? 1 : 0));
                }
            }
            out.sort(java.util.Comparator.comparingLong(HistoryPoint::timeMicros));
            return out;
        }
        assertThat(width % Math.max(1, answer.resolution().seconds() * 1_000_000L)).as("bucket of whole windows").isZero();
        long first = Math.floorDiv(from, width) * width;
        long end = first + width * ((to - first + width - 1) / width);
        java.util.TreeMap<Long, Rollup> buckets = new java.util.TreeMap<>();
        for (Sample s : raw) {
            long t = s.sourceTimeMicros();
            if (s.channel().equals(channel) && t >= first && t < end) {
                buckets.computeIfAbsent(first + (t - first) / width * width, k -> new Rollup()).add(t, value(s), s.quality().level() == QualityLevel.BAD);
            }
        }
        buckets.forEach((start, r) -> out.add(r.point(start)));
        return out;
    }

    private static double value(Sample s) {
        return s.value() instanceof Waveform w ? HistoryStore.rms(w) : s.value().asDouble();
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
