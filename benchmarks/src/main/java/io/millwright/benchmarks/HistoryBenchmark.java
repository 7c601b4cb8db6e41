package io.millwright.benchmarks;

import io.millwright.api.ChannelId;
import io.millwright.api.DoubleValue;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.history.api.HistoryQuery;
import io.millwright.history.api.HistorySeries;
import io.millwright.history.internal.HistoryStore;
import io.millwright.history.internal.Retention;
import io.millwright.history.internal.RollupReader;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * History queries against a scan of the raw journal for the same range, in one run: one week of a 1 Hz channel to
 * 1,000 points (answered from one-minute rollups) and one year of a once-a-minute channel to 1,000 points (from
 * one-hour rollups). Both data sets go through the real journal and the real rollup reader first. Figures: median and
 * 95th percentile of 50 queries after 20 warm-up ones; the raw scan reads the journal's entries from the first and
 * buckets the channel's samples in the range the same way (median of 5).
 */
final class HistoryBenchmark {

    private HistoryBenchmark() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("millwright-history-bench-");
        long now = System.currentTimeMillis() * 1000;
        ChannelId fast = new ChannelId("pump-1", "speed");
        ChannelId slow = new ChannelId("pump-1", "bearing_temperature");
        MapDbJournal journal = new MapDbJournal(new Settings(dir.resolve("journal"), Duration.ofMillis(50), 2_000_000, 1L << 40, 4096), Clock.systemUTC());
        long weekStart = now - 7 * 86_400_000_000L;
        long yearStart = now - 365 * 86_400_000_000L;
        long t0 = System.nanoTime();
        Random random = new Random(1);
        // a year of a once-a-minute channel, then a week of a 1 Hz channel (source-time order within each)
        append(journal, slow, yearStart, 60_000_000L, 365 * 1440, random);
        append(journal, fast, weekStart, 1_000_000L, 7 * 86_400, random);
        long total = 365 * 1440 + 7 * 86_400;
        while (journal.statistics().committedSamples() < total) {
            Thread.sleep(20);
        }
        System.out.printf("history: journal filled with %,d samples in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        try (HistoryStore store = HistoryStore.open(dir.resolve("history"), Clock.systemUTC());
                JournalCursor cursor = journal.openCursor("history", StartAt.EARLIEST)) {
            // the gateway's defaults: raw 48 h, minutes 30 days, hours 5 years
            Retention retention = new Retention(3_600_000_000L, 48 * 3_600_000_000L, 30 * 86_400_000_000L, 1830 * 86_400_000_000L, 512L << 20);
            RollupReader reader = new RollupReader(store, cursor, journal::statistics, Clock.systemUTC(), retention, 1000);
            while (reader.step(false) > 0) {
                // until the journal is rolled up
            }
            reader.step(true);
            System.out.printf("history: rolled up in %.1f s; store %,d bytes%n", (System.nanoTime() - t0) / 1e9, Files.size(dir.resolve("history/history.db")));
            measure("one week of a 1 Hz channel to 1,000 points", store, journal, fast, weekStart, now, 50);
            measure("one year of a once-a-minute channel to 1,000 points", store, journal, slow, yearStart, now, 100);
        } finally {
            journal.close();
        }
    }

    private static void append(MapDbJournal journal, ChannelId channel, long start, long step, int count, Random random) throws InterruptedException {
        List<Sample> batch = new ArrayList<>(4096);
        for (int i = 0; i < count; i++) {
            long t = start + i * step;
            batch.add(new Sample(channel, 0, t, t, new DoubleValue(50 + 10 * Math.sin(i / 3000.0) + random.nextGaussian()), Quality.GOOD));
            if (batch.size() == 4096 || i == count - 1) {
                while (!journal.append(new SampleBatch("bench", batch)).accepted()) {
                    Thread.sleep(5);
                }
                batch = new ArrayList<>(4096);
            }
        }
    }

    private static void measure(String what, HistoryStore store, MapDbJournal journal, ChannelId channel, long from, long to, double targetMs) {
        HistoryQuery q = new HistoryQuery(channel, instant(from), instant(to), 1000, false);
        HistorySeries answer = null;
        for (int i = 0; i < 20; i++) {
            answer = store.query(q);
        }
        double[] ms = new double[50];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            answer = store.query(q);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double[] scan = new double[5];
        long scanned = 0;
        for (int i = 0; i < scan.length; i++) {
            long t = System.nanoTime();
            scanned = scanRaw(journal, channel, from, to, 1000);
            scan[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(scan);
        System.out.printf("history: %s: %d points from %s (bucket %d s): median %.2f ms, p95 %.2f ms (target <= %.0f ms); "
                + "raw journal scan of the same range (%,d samples) median %.1f ms: %.0fx faster%n", what, answer.points().size(), answer.resolution(),
                answer.bucketMicros() / 1_000_000, ms[ms.length / 2], ms[(int) (ms.length * 0.95)], targetMs, scanned, scan[2], scan[2] / ms[ms.length / 2]);
    }

    /** The baseline: every journal entry read, the channel's samples in the range bucketed into min/max/mean. */
    private static long scanRaw(MapDbJournal journal, ChannelId channel, long from, long to, int points) {
        long width = Math.max(1, (to - from + points - 1) / points);
        double[] min = new double[points + 1];
        double[] max = new double[points + 1];
        double[] sum = new double[points + 1];
        long[] count = new long[points + 1];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        long seen = 0;
        try (JournalCursor c = journal.openCursor("bench-scan", StartAt.EARLIEST)) {
            long position = c.position();
            while (true) {
                JournalRead r = c.readFrom(position, 50_000);
                if (r.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : r.entries()) {
                    for (Sample s : e.samples()) {
                        long t = s.sourceTimeMicros();
                        if (s.channel().equals(channel) && t >= from && t < to) {
                            int b = (int) ((t - from) / width);
                            double v = s.value().asDouble();
                            min[b] = Math.min(min[b], v);
                            max[b] = Math.max(max[b], v);
                            sum[b] += v;
                            count[b]++;
                            seen++;
                        }
                    }
                }
                position = r.nextPosition();
            }
        }
        journal.deleteCursor("bench-scan");
        return seen;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
