package io.millwright.benchmarks;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * What the journal's check at open costs, per GiB of journal: a journal of the given size (200 scalar channels) is
 * written and closed, then opened (a) by the journal, which checks the CRC of every entry, (b) by raw MapDB reading
 * every entry without a check — the baseline — and (c) after damage to its first bytes, by the journal's byte-by-byte
 * salvage into a new file. Each is timed three times; the page cache is warm (this machine cannot drop it), so the
 * figures are CPU and MapDB costs, not disk reads.
 */
final class JournalOpenBenchmark {

    private JournalOpenBenchmark() {
    }

    static void run(int mib) throws Exception {
        Path dir = Files.createTempDirectory("bench-open-");
        Path journalDir = dir.resolve("journal");
        Settings settings = new Settings(journalDir, Duration.ofMillis(50), 2_000_000, 1L << 40, 4096);
        long fileBytes;
        long samples;
        try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
            ChannelId[] ids = new ChannelId[200];
            for (int c = 0; c < ids.length; c++) {
                ids[c] = new ChannelId("machine-" + c / 20, "tag_" + c);
            }
            long t = 1_700_000_000_000_000L;
            long target = (long) mib << 20;
            while (journal.statistics().fileBytes() < target) {
                List<Sample> batch = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    t += 100;
                    batch.add(new Sample(ids[i % ids.length], 0, t, t + 50, Value.of(Math.sin(t * 1e-9) * 100), Quality.GOOD));
                }
                while (!journal.append(new SampleBatch("bench", batch)).accepted()) {
                    Thread.sleep(5);
                }
            }
            while (journal.statistics().pendingSamples() > 0) {
                Thread.sleep(20);
            }
        }
        // read after the close: pendingSamples() == 0 does not mean that the last batch is committed
        try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
            fileBytes = journal.statistics().fileBytes();
            samples = journal.statistics().committedSamples();
        }
        double gib = fileBytes / (double) (1L << 30);
        System.out.printf(Locale.ROOT, "journal open benchmark: %,d samples, %.0f MiB file%n", samples, fileBytes / 1048576.0);
        double check = best(() -> {
            try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
                if (!journal.statistics().recovery().isEmpty()) {
                    throw new IllegalStateException(journal.statistics().recovery());
                }
            }
        });
        double raw = best(() -> {
            DB db = DBMaker.fileDB(journalDir.resolve("journal.db").toFile()).transactionEnable().make();
            try {
                BTreeMap<Long, byte[]> entries = db.treeMap("entries", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable()
                        .open();
                long n = 0;
                for (Long k : entries.keySet()) {
                    n += entries.get(k).length;
                }
                if (n == 0) {
                    throw new IllegalStateException("empty");
                }
            } finally {
                db.close();
            }
        });
        double salvage = best(() -> {
            Path copy = dir.resolve("copy-" + System.nanoTime());
            Files.createDirectories(copy);
            Files.copy(journalDir.resolve("journal.db"), copy.resolve("journal.db"));
            try (RandomAccessFile raf = new RandomAccessFile(copy.resolve("journal.db").toFile(), "rw")) {
                raf.write(new byte[16]);
            }
            long t0 = System.nanoTime();
            try (MapDbJournal journal = new MapDbJournal(new Settings(copy, Duration.ofMillis(50), 2_000_000, 1L << 40, 4096),
                    Clock.systemUTC())) {
                if (journal.statistics().committedSamples() != samples) {
                    throw new IllegalStateException("salvage found " + journal.statistics().committedSamples() + " of " + samples + ": "
                            + journal.statistics().recovery());
                }
            }
            delete(copy);
            return (System.nanoTime() - t0) / 1e9;
        }, true);
        System.out.println();
        System.out.println("| open of a " + Math.round(fileBytes / 1048576.0) + " MiB journal | best of 3, s | s per GiB | ratio to raw MapDB read |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| raw MapDB: open, read every entry (no check) | %.2f | %.1f | 1.00 |%n", raw, raw / gib);
        System.out.printf(Locale.ROOT, "| journal: open with the CRC check of every entry | %.2f | %.1f | %.2f |%n", check, check / gib, check / raw);
        System.out.printf(Locale.ROOT, "| journal: salvage after damage to the first 16 bytes | %.2f | %.1f | %.2f |%n", salvage, salvage / gib,
                salvage / raw);
        delete(dir);
    }

    interface Step {
        void run() throws Exception;
    }

    interface TimedStep {
        double run() throws Exception;
    }

    private static double best(Step step) throws Exception {
        return best(() -> {
            long t0 = System.nanoTime();
            step.run();
            return (System.nanoTime() - t0) / 1e9;
        }, true);
    }

    private static double best(TimedStep step, boolean timed) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, step.run());
        }
        return best;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
