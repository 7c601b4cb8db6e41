package io.millwright.benchmarks;

import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Criticality;
import io.millwright.asset.api.Provenance;
import io.millwright.asset.api.TwinRules;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.ingest.internal.SampleIngest;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.twin.internal.TwinReader;
import io.millwright.twin.internal.TwinStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alarm engine under load, in one run: 10,000 channels (1,000 assets of 10 tags) each watched by one HI alarm
 * with deadband — 10,000 definitions.
 *
 * <p>A. Evaluation throughput on one core: the journal is filled with 5 M samples first, then the twin/alarm reader
 * (the gateway's own, with its store and commits) works through them on one thread; the baseline is a bare read of the
 * same entries through a journal cursor, so the evaluation's own cost shows. B. Ingest (ingest + journal, two
 * producers, batches of 1,000) for {@code seconds} without the engine, then as long with the engine reading the same
 * journal as it does in the gateway: committed samples per second and their ratio.
 */
final class AlarmBenchmark {

    static final int ASSETS = 1_000;
    static final int TAGS = 10;
    static final int FILL = 5_000_000;
    private static final AtomicBoolean STOP = new AtomicBoolean();

    private AlarmBenchmark() {
    }

    static void run(int seconds) throws Exception {
        AssetModel model = model();
        System.out.printf(Locale.ROOT, "alarms: %,d channels, %,d alarm definitions (HI with deadband)%n", ASSETS * TAGS,
                model.assets().stream().mapToInt(a -> a.alarms().size()).sum());
        evaluation(model);
        ingest(model, seconds);
    }

    private static void evaluation(AssetModel model) throws Exception {
        Path dir = Files.createTempDirectory("millwright-alarm-bench-");
        MapDbJournal journal = new MapDbJournal(new Settings(dir.resolve("journal"), Duration.ofMillis(50), 2_000_000, 1L << 40, 4096),
                Clock.systemUTC());
        try {
            SplittableRandom random = new SplittableRandom(7);
            double[] value = new double[ASSETS * TAGS];
            java.util.Arrays.fill(value, 50);
            long t = (System.currentTimeMillis() - 3_600_000) * 1000;
            List<Sample> batch = new ArrayList<>(4096);
            for (int i = 0; i < FILL; i++) {
                int c = i % value.length;
                // a random walk that now and then crosses the limit of 90, so that alarms activate and clear
                value[c] = Math.max(0, Math.min(100, value[c] + random.nextDouble(-2, 2)));
                if (c == 0) {
                    t += 1_000_000;
                }
                batch.add(new Sample(channel(c), 0, t, t, Value.of(value[c]), Quality.GOOD));
                if (batch.size() == 4096) {
                    while (!journal.append(new SampleBatch("bench", batch)).accepted()) {
                        Thread.sleep(5);
                    }
                    batch = new ArrayList<>(4096);
                }
            }
            journal.append(new SampleBatch("bench", batch));
            while (journal.statistics().committedSamples() < FILL) {
                Thread.sleep(20);
            }
            double[] raw = new double[3];
            for (int k = 0; k < raw.length; k++) {
                raw[k] = rawRead(journal);
            }
            java.util.Arrays.sort(raw);
            try (TwinStore store = TwinStore.open(dir.resolve("twin"), Clock.systemUTC());
                    JournalCursor cursor = journal.openCursor("twin", StartAt.EARLIEST)) {
                TwinReader reader = new TwinReader(store, cursor, new CountingSink(), model, Clock.systemUTC());
                long t0 = System.nanoTime();
                long n = 0;
                int step;
                while ((step = reader.step()) > 0) {
                    n += step;
                }
                double secondsTaken = (System.nanoTime() - t0) / 1e9;
                reader.close();
                double rate = n / secondsTaken;
                double evaluationOnly = 1 / (1 / rate - 1 / raw[1]);
                System.out.printf(Locale.ROOT, "alarms: A. the reader evaluated %,d samples (one alarm each) in %.2f s on one thread: %.2f M sample "
                        + "evaluations/s end to end (journal read, twin, alarms, store commits; target >= 2 M); %,d alarm events%n", n, secondsTaken,
                        rate / 1e6, store.committedEvents());
                System.out.printf(Locale.ROOT, "alarms: A. baseline: a bare cursor read of the same entries %.2f M samples/s (median of 3): "
                        + "the reader runs at %.2f of it; the evaluation alone would run at %.1f M/s%n", raw[1] / 1e6, rate / raw[1], evaluationOnly / 1e6);
            }
        } finally {
            journal.close();
            JournalBenchmark.delete(dir);
        }
    }

    /** @return samples per second of a bare read of every entry through a fresh cursor, each value touched */
    private static double rawRead(MapDbJournal journal) {
        long t0 = System.nanoTime();
        long n = 0;
        double sum = 0;
        try (JournalCursor c = journal.openCursor("bare-read", StartAt.EARLIEST)) {
            long from = c.position();
            while (true) {
                JournalRead r = c.readFrom(from, 4096);
                if (r.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : r.entries()) {
                    for (Sample s : e.samples()) {
                        sum += s.value().asDouble();
                        n++;
                    }
                }
                from = r.nextPosition();
            }
        }
        journal.deleteCursor("bare-read");
        if (sum == 42) {
            System.out.print("");
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void ingest(AssetModel large, int seconds) throws Exception {
        // the journal's own benchmark workload (200 channels), where ingest is fastest, and the 10,000 channels of part A
        for (int assets : new int[] {20, ASSETS}) {
            AssetModel model = assets == ASSETS ? large : model(assets);
            List<SampleBatch> batches = batches(assets * TAGS);
            double without = ingestRun(model, batches, seconds, false);
            double with = ingestRun(model, batches, seconds, true);
            System.out.printf(Locale.ROOT, "alarms: B. %,d channels, %,d alarms: ingest + journal %,.0f samples/s without the alarm engine, %,.0f "
                    + "samples/s with it reading the same journal: %.2fx (target >= 0.9)%n", assets * TAGS, assets * TAGS, without, with, with / without);
        }
    }

    private static double ingestRun(AssetModel model, List<SampleBatch> batches, int seconds, boolean engine) throws Exception {
        Path dir = Files.createTempDirectory("millwright-alarm-ingest-");
        MapDbJournal journal = new MapDbJournal(new Settings(dir.resolve("journal"), Duration.ofMillis(50), 500_000, 1L << 40, 4096), Clock.systemUTC());
        SampleSink ingest = new SampleIngest(journal, JournalBenchmark.ingestConfig());
        STOP.set(false);
        AtomicLong evaluated = new AtomicLong();
        Thread reader = null;
        TwinStore store = null;
        JournalCursor cursor = null;
        try {
            if (engine) {
                store = TwinStore.open(dir.resolve("twin"), Clock.systemUTC());
                cursor = journal.openCursor("twin", StartAt.LATEST);
                TwinReader r = new TwinReader(store, cursor, ingest, model, Clock.systemUTC());
                reader = new Thread(() -> {
                    // as the component: full batches back to back, then a pause of 250 ms when caught up
                    while (!STOP.get()) {
                        int n = r.step();
                        evaluated.addAndGet(n);
                        if (n < TwinReader.BATCH) {
                            java.util.concurrent.locks.LockSupport.parkNanos(250_000_000L);
                        }
                    }
                    r.close();
                }, "twin-engine");
                reader.start();
            }
            Thread[] producers = new Thread[2];
            for (int p = 0; p < producers.length; p++) {
                int first = p;
                producers[p] = new Thread(() -> {
                    int i = first;
                    while (!STOP.get()) {
                        if (ingest.submit(batches.get(i % batches.size())) == SubmitResult.ACCEPTED) {
                            i += 2;
                        } else {
                            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                        }
                    }
                }, "producer-" + p);
                producers[p].start();
            }
            Thread.sleep(3_000);
            long c0 = journal.statistics().committedSamples();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long c1 = journal.statistics().committedSamples();
            double rate = (c1 - c0) / ((System.nanoTime() - t0) / 1e9);
            STOP.set(true);
            for (Thread t : producers) {
                t.join();
            }
            if (reader != null) {
                reader.join();
                System.out.printf(Locale.ROOT, "alarms: B. with the engine: it evaluated %,d samples, %,d alarm events, lag at the end %,d entries%n",
                        evaluated.get(), store.committedEvents(), journal.statistics().endPosition() - cursor.position());
            }
            return rate;
        } finally {
            if (cursor != null) {
                cursor.close();
            }
            if (store != null) {
                store.close();
            }
            journal.close();
            JournalBenchmark.delete(dir);
        }
    }

    private static List<SampleBatch> batches(int channels) {
        SplittableRandom random = new SplittableRandom(1);
        double[] value = new double[channels];
        java.util.Arrays.fill(value, 50);
        long t = (System.currentTimeMillis() - 60_000) * 1000;
        List<SampleBatch> out = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            List<Sample> samples = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                int c = (b * 1000 + i) % value.length;
                value[c] = Math.max(0, Math.min(100, value[c] + random.nextDouble(-2, 2)));
                samples.add(new Sample(channel(c), 0, t, 0, Value.of(Math.round(value[c] * 1000) / 1000.0), Quality.GOOD));
                if (c == value.length - 1) {
                    t += 10_000;
                }
            }
            out.add(new SampleBatch("plc" + (b % 2), samples));
        }
        return out;
    }

    private static ChannelId channel(int c) {
        return new ChannelId("asset-" + (c / TAGS), "t" + (c % TAGS));
    }

    static AssetModel model() {
        return model(ASSETS);
    }

    static AssetModel model(int count) {
        List<AlarmDefinition> alarms = new ArrayList<>();
        for (int k = 0; k < TAGS; k++) {
            alarms.add(AlarmDefinition.parse("t" + k + "_hi HI t" + k + " limit=90 deadband=2 priority=3"));
        }
        AssetClass cls = new AssetClass("bench", "bench", List.of(), alarms, Map.of(), TwinRules.NONE);
        List<Asset> assets = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            List<AssetTag> tags = new ArrayList<>();
            for (int k = 0; k < TAGS; k++) {
                tags.add(new AssetTag("t" + k, channel(a * TAGS + k), "Cel", "Cel", 1, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, "",
                        false));
            }
            assets.add(new Asset("asset-" + a, "asset-" + a, "bench", "area-" + (a / 100), "line-" + (a / 10), "bench", Criticality.B, List.of(),
                    tags, alarms, ""));
        }
        return new AssetModel() {
            public List<Asset> assets() {
                return assets;
            }

            public Optional<Asset> asset(String id) {
                return assets.stream().filter(x -> x.id().equals(id)).findFirst();
            }

            public List<AssetClass> classes() {
                return List.of(cls);
            }

            public Optional<AssetClass> assetClass(String name) {
                return name.equals("bench") ? Optional.of(cls) : Optional.empty();
            }

            public Optional<Binding> binding(ChannelId source) {
                return Optional.empty();
            }

            public Optional<Provenance> provenance(ChannelId source) {
                return Optional.empty();
            }

            public List<String> problems() {
                return List.of();
            }

            public long revision() {
                return 1;
            }
        };
    }
}
