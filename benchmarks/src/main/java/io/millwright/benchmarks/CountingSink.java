package io.millwright.benchmarks;

import io.millwright.api.SampleBatch;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A sample sink that only counts, so that a driver benchmark measures the driver. */
final class CountingSink implements SampleSink {

    private final AtomicLong samples = new AtomicLong();

    @Override
    public SubmitResult submit(SampleBatch batch) {
        samples.addAndGet(batch.samples().size());
        return SubmitResult.ACCEPTED;
    }

    @Override
    public IngestStatistics statistics() {
        return new IngestStatistics(IngestStatistics.Counts.ZERO, Map.of());
    }

    /** @return samples accepted so far */
    long samples() {
        return samples.get();
    }

    /**
     * Samples per second over {@code seconds}, after the first sample and a one-second settling.
     *
     * @param seconds measuring time
     * @return the rate
     */
    double rate(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (samples.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        long from = samples.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (samples.get() - from) / ((System.nanoTime() - start) / 1e9);
    }
}
