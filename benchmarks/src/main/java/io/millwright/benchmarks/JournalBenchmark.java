package io.millwright.benchmarks;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.ingest.internal.SampleIngest;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * Sustained append throughput of the journal with its default durability (group commit every
 * 50 ms, MapDB with transactions), side by side in one run with raw MapDB and H2 MVStore storing the
 * same samples as fixed 28-byte rows, one value per batch, committed every 50 ms.
 *
 * <p>Workload: 200 channels (two devices of 100 tags), batches of 1,000 scalar samples with GOOD
 * quality, from two producer threads. Samples are generated before the run, so the figures are the
 * storage path's, not the generator's.
 */
final class JournalBenchmark {

    private static final int CHANNELS = 200;
    private static final int BATCH = 1_000;
    static final int POOL = 256;
    static final int PRODUCERS = 2;
    private static final Duration COMMIT = Duration.ofMillis(50);
    private static final int WARMUP_SECONDS = 3;
    static final AtomicBoolean STOP = new AtomicBoolean();

    private JournalBenchmark() {
    }

    record Result(String name, double samplesPerSecond, long diskBytes, long samples, long peakHeapBytes, long refused) {
    }

    static void run(int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "journal benchmark: %d channels, batches of %d scalar samples, %d producers, %d s per system%n",
                CHANNELS, BATCH, PRODUCERS, seconds);
        List<SampleBatch> batches = batches();
        List<byte[]> rows = batches.stream().map(JournalBenchmark::fixedRows).toList();
        List<Result> results = new ArrayList<>();
        results.add(journal("millwright journal (append)", batches, seconds, false));
        results.add(journal("millwright ingest + journal", batches, seconds, true));
        results.add(rawMapDb(rows, seconds, false));
        results.add(rawMapDb(rows, seconds, true));
        results.add(mvStore(rows, seconds));

        Result ours = results.get(0);
        System.out.println();
        System.out.println("| system | samples/s | ratio to journal | disk bytes/sample | peak live heap after GC, MiB |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.0f |%n", r.name(), r.samplesPerSecond(),
                    r.samplesPerSecond() / ours.samplesPerSecond(), (double) r.diskBytes() / Math.max(1, r.samples()),
                    r.peakHeapBytes() / 1048576.0);
        }
        System.out.printf(Locale.ROOT, "%njournal / raw MapDB (RandomAccessFile, as the journal) = %.2f, journal / raw MapDB (mmap) = %.2f,"
                + " journal / MVStore = %.2f%n", ours.samplesPerSecond() / results.get(2).samplesPerSecond(),
                ours.samplesPerSecond() / results.get(3).samplesPerSecond(), ours.samplesPerSecond() / results.get(4).samplesPerSecond());
    }

    static List<SampleBatch> batches() {
        SplittableRandom random = new SplittableRandom(1);
        ChannelId[] ids = new ChannelId[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            ids[c] = new ChannelId("machine-" + (c / 20), "tag_" + c);
        }
        double[] value = new double[CHANNELS];
        long t = (System.currentTimeMillis() - 60_000) * 1000;
        List<SampleBatch> out = new ArrayList<>();
        for (int b = 0; b < POOL; b++) {
            List<Sample> samples = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int c = (b * BATCH + i) % CHANNELS;
                value[c] += random.nextDouble(-0.5, 0.5);
                samples.add(new Sample(ids[c], 0, t, t + 120, Value.of(Math.round(value[c] * 1000) / 1000.0), Quality.GOOD));
                if (c == CHANNELS - 1) {
                    t += 10_000;
                }
            }
            out.add(new SampleBatch("plc" + (b % 2), samples));
        }
        return out;
    }

    /** The same samples as fixed rows: channel (4), sequence (8), time (8), value (8) = 28 bytes. */
    private static byte[] fixedRows(SampleBatch batch) {
        ByteBuffer b = ByteBuffer.allocate(batch.size() * 28);
        int i = 0;
        for (Sample s : batch.samples()) {
            b.putInt(s.channel().hashCode()).putLong(i++).putLong(s.sourceTimeMicros()).putLong(Double.doubleToRawLongBits(s.value().asDouble()));
        }
        return b.array();
    }

    private static Result journal(String name, List<SampleBatch> batches, int seconds, boolean viaIngest) throws Exception {
        Path dir = Files.createTempDirectory("bench-journal-");
        MapDbJournal journal = new MapDbJournal(new Settings(dir, COMMIT, 500_000, 1L << 40, 4096), Clock.systemUTC());
        SampleSink ingest = viaIngest ? new SampleIngest(journal, ingestConfig()) : null;
        AtomicLong refused = new AtomicLong();
        Result r;
        try {
            r = measure(name, seconds, dir, () -> journal.statistics().committedSamples(), refused, worker -> {
                int i = worker;
                while (!STOP.get()) {
                    SampleBatch b = batches.get(i % POOL);
                    boolean ok = viaIngest ? ingest.submit(b) == SubmitResult.ACCEPTED : journal.append(b).accepted();
                    if (ok) {
                        i += PRODUCERS;
                    } else {
                        refused.incrementAndGet();
                        // as a driver lane does on an overrun: defer the next poll
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            });
        } finally {
            journal.close();
        }
        delete(dir);
        return r;
    }

    static SampleIngest.Config ingestConfig() {
        return new SampleIngest.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SampleIngest.Config.class;
            }

            @Override
            public long maxFutureSkewMs() {
                return 86_400_000;
            }
        };
    }

    private static Result rawMapDb(List<byte[]> rows, int seconds, boolean mmap) throws Exception {
        Path dir = Files.createTempDirectory("bench-mapdb-");
        DBMaker.Maker maker = DBMaker.fileDB(dir.resolve("raw.db").toFile()).transactionEnable();
        DB db = (mmap ? maker.fileMmapEnableIfSupported() : maker).make();
        BTreeMap<Long, byte[]> map = db.treeMap("rows", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        try {
            return rawStore(mmap ? "raw MapDB (tx + mmap, byte[] per batch)" : "raw MapDB (tx + RandomAccessFile, byte[] per batch)", rows,
                    seconds, dir, map::put, db::commit);
        } finally {
            db.close();
            delete(dir);
        }
    }

    private static Result mvStore(List<byte[]> rows, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("bench-mvstore-");
        MVStore store = new MVStore.Builder().fileName(dir.resolve("raw.mv").toString()).autoCommitDisabled().open();
        MVMap<Long, byte[]> map = store.openMap("rows");
        try {
            return rawStore("H2 MVStore (commit + sync, byte[] per batch)", rows, seconds, dir, map::put, () -> {
                store.commit();
                store.sync();
            });
        } finally {
            store.close();
            delete(dir);
        }
    }

    /** One writer puts pre-encoded batches and commits every 50 ms, as the journal's commit thread does. */
    private static Result rawStore(String name, List<byte[]> rows, int seconds, Path dir, BiConsumer<Long, byte[]> put,
            Runnable commit) throws Exception {
        AtomicLong committed = new AtomicLong();
        return measure(name, seconds, dir, committed::get, new AtomicLong(), worker -> {
            if (worker != 0) {
                return;
            }
            long key = 0;
            long pending = 0;
            long lastCommit = System.nanoTime();
            while (!STOP.get()) {
                put.accept(key, rows.get((int) (key % POOL)));
                key++;
                pending += BATCH;
                if (System.nanoTime() - lastCommit >= COMMIT.toNanos()) {
                    commit.run();
                    committed.addAndGet(pending);
                    pending = 0;
                    lastCommit = System.nanoTime();
                }
            }
        });
    }

    interface Worker {
        void run(int index) throws Exception;
    }

    static Result measure(String name, int seconds, Path dir, LongSupplier committed, AtomicLong refused, Worker worker)
            throws Exception {
        System.gc();
        STOP.set(false);
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
        AtomicLong peakHeap = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                // live heap: what each pool held after its last collection
                long live = heapPools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
                peakHeap.accumulateAndGet(live, Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        sampler.start();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    worker.run(index);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-producer-" + i);
            threads.add(t);
            t.start();
        }
        Thread.sleep(WARMUP_SECONDS * 1000L);
        long c0 = committed.getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long c1 = committed.getAsLong();
        long t1 = System.nanoTime();
        STOP.set(true);
        for (Thread t : threads) {
            t.join();
        }
        running.set(false);
        sampler.join();
        long disk = size(dir);
        double rate = (c1 - c0) * 1e9 / (t1 - t0);
        System.out.printf(Locale.ROOT, "%-46s %,12.0f samples/s   (%,d samples committed, %,d refused appends, %.0f MiB on disk)%n",
                name, rate, c1, refused.get(), disk / 1048576.0);
        return new Result(name, rate, disk, c1, peakHeap.get(), refused.get());
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
