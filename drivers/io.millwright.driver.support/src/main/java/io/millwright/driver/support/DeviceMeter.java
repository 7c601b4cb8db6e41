package io.millwright.driver.support;

import io.millwright.api.SampleBatch;
import io.millwright.driver.api.DeviceCounters;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device's counters and its side of the overrun contract: when the sink refuses a batch, the next
 * poll's batch is skipped too (the ingest queue gets time to drain) and both are counted as overruns.
 */
public final class DeviceMeter {

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final io.millwright.api.LatencyRecorder pollLatency = new io.millwright.api.LatencyRecorder();
    private boolean deferNext;
    private volatile SubmitResult refusal;

    /**
     * Counts a poll and submits its batch unless the previous one overran. Lane-confined.
     *
     * @param sink the sample sink
     * @param batch the batch
     * @return false if the batch was not accepted (overrun, or deferred after one)
     */
    public boolean submit(SampleSink sink, SampleBatch batch) {
        polls.incrementAndGet();
        if (deferNext) {
            deferNext = false;
            overruns.incrementAndGet();
            return false;
        }
        SubmitResult result = sink.submit(batch);
        if (result != SubmitResult.ACCEPTED) {
            overruns.incrementAndGet();
            deferNext = true;
            refusal = result;
            return false;
        }
        refusal = null;
        samples.addAndGet(batch.samples().size());
        return true;
    }

    /** @return why the sink refused the last batch, or null if it took it */
    public SubmitResult refusal() {
        return refusal;
    }

    /** Counts a failed request, connection or task. */
    public void error() {
        errors.incrementAndGet();
    }

    /** @param nanos how long one run of the lane's periodic task (a poll cycle) took */
    public void pollTook(long nanos) {
        pollLatency.recordNanos(nanos);
    }

    /** @return a snapshot */
    public DeviceCounters snapshot() {
        return new DeviceCounters(polls.get(), samples.get(), overruns.get(), errors.get(), pollLatency.snapshot());
    }
}
