package io.millwright.benchmarks;

import io.millwright.api.SampleBatch;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.ingest.internal.SampleIngest;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.metrics.internal.BenchScrape;
import io.millwright.quality.internal.BenchQualityReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest throughput with all observability on, as a ratio to off, in the same run (issue 18: target ≥ 0.95).
 *
 * <p>The load of {@code journal}: 200 channels, batches of 1,000 samples from two producers, through ingest into the
 * journal (group commit every 50 ms), as fast as it takes them. "On" adds what observability does beside the data path:
 * the data-quality reader on its own cursor (every sample through the detectors, the windows' results back through
 * ingest, every 100 ms as the component runs it) and a /metrics scrape every second (the collector over the journal's
 * and ingest's statistics, written as text). The latency histograms of commits are recorded in both (they are part of
 * the journal). After an uncounted warm-up round, off and on alternate, {@code rounds} times, each on a fresh journal.
 */
final class ObservabilityBenchmark {

    private ObservabilityBenchmark() {
    }

    static void run(int seconds, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "observability benchmark: ingest + journal, 200 channels, %d s per run, %d rounds of off / on%n", seconds,
                rounds);
        List<SampleBatch> batches = JournalBenchmark.batches();
        // one uncounted round first: both paths compiled by the JIT before anything is compared
        ingest("warm-up (not counted): observability off", batches, 5, false);
        ingest("warm-up (not counted): observability on", batches, 5, true);
        List<double[]> pairs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double off = ingest("round " + (r + 1) + ": observability off", batches, seconds, false);
            double on = ingest("round " + (r + 1) + ": observability on", batches, seconds, true);
            pairs.add(new double[] {off, on});
        }
        System.out.println();
        System.out.println("| round | off, samples/s | on, samples/s | on / off |");
        System.out.println("|---|---:|---:|---:|");
        double offSum = 0;
        double onSum = 0;
        for (int r = 0; r < pairs.size(); r++) {
            double[] p = pairs.get(r);
            offSum += p[0];
            onSum += p[1];
            System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f |%n", r + 1, p[0], p[1], p[1] / p[0]);
        }
        System.out.printf(Locale.ROOT, "%nall rounds: on / off = %.3f (target >= 0.95)%n", onSum / offSum);
    }

    private static double ingest(String name, List<SampleBatch> batches, int seconds, boolean observed) throws Exception {
        Path dir = Files.createTempDirectory("bench-observability-");
        MapDbJournal journal = new MapDbJournal(new Settings(dir, Duration.ofMillis(50), 500_000, 1L << 40, 4096), Clock.systemUTC());
        SampleSink ingest = new SampleIngest(journal, JournalBenchmark.ingestConfig());
        AtomicLong refused = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> beside = new ArrayList<>();
        AtomicLong read = new AtomicLong();
        AtomicLong scraped = new AtomicLong();
        // -Dobservability.parts=quality or =metrics measures one part alone (what bounds the ratio)
        String parts = System.getProperty("observability.parts", "quality,metrics");
        BenchQualityReader quality = observed && parts.contains("quality") ? new BenchQualityReader(journal, ingest) : null;
        if (quality != null) {
            beside.add(new Thread(() -> {
                while (running.get()) {
                    read.addAndGet(quality.step());
                    sleep(100); // QualityComponent.STEP_MS
                }
            }, "quality-reader"));
        }
        if (observed && parts.contains("bare-read")) {
            // the baseline of any reader: the same cursor reads, nothing done with the samples
            io.millwright.journal.api.JournalCursor cursor = journal.openCursor("bare", io.millwright.journal.api.Journal.StartAt.LATEST);
            beside.add(new Thread(() -> {
                while (running.get()) {
                    io.millwright.journal.api.JournalRead r;
                    do {
                        r = cursor.read(50_000);
                        read.addAndGet(r.sampleCount());
                        cursor.advance(r.nextPosition());
                    } while (r.sampleCount() >= 50_000 && running.get());
                    sleep(100);
                }
                cursor.close();
            }, "bare-reader"));
        }
        if (observed && parts.contains("metrics")) {
            BenchScrape scrape = new BenchScrape(journal, ingest);
            beside.add(new Thread(() -> {
                while (running.get()) {
                    try {
                        scraped.addAndGet(scrape.scrape());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                    sleep(1000);
                }
            }, "metrics-scrape"));
        }
        beside.forEach(Thread::start);
        JournalBenchmark.Result r;
        try {
            r = JournalBenchmark.measure(name, seconds, dir, () -> journal.statistics().committedSamples(), refused, worker -> {
                int i = worker;
                while (!JournalBenchmark.STOP.get()) {
                    // stamped now, as a driver stamps its samples: the detectors see a live plant (recycled times would be
                    // stale and run backwards), and off and on pay the same for it
                    SampleBatch b = stamped(batches.get(i % JournalBenchmark.POOL));
                    if (ingest.submit(b) == SubmitResult.ACCEPTED) {
                        i += JournalBenchmark.PRODUCERS;
                    } else {
                        refused.incrementAndGet();
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            });
        } finally {
            running.set(false);
            for (Thread t : beside) {
                t.join();
            }
            if (quality == null && read.get() > 0) {
                System.out.printf(Locale.ROOT, "    (the bare reader read %,d samples)%n", read.get());
            }
            if (quality != null) {
                System.out.printf(Locale.ROOT, "    (the quality reader read %,d samples of %d channels; %,d bytes scraped)%n", read.get(),
                        quality.channels(), scraped.get());
                quality.close();
            }
            journal.close();
        }
        JournalBenchmark.delete(dir);
        return r.samplesPerSecond();
    }

    private static SampleBatch stamped(SampleBatch b) {
        long now = System.currentTimeMillis() * 1000;
        List<io.millwright.api.Sample> out = new ArrayList<>(b.samples().size());
        for (io.millwright.api.Sample x : b.samples()) {
            out.add(new io.millwright.api.Sample(x.channel(), 0, now, now, x.value(), x.quality()));
        }
        return new SampleBatch(b.source(), out);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
