package io.millwright.driver.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reconnect pacing: after the n-th failure in a row the next attempt waits a delay drawn uniformly
 * from [d/2, d] where d = min(max, min·2ⁿ⁻¹); jitter keeps a plant's gateways from reconnecting in
 * step after a shared outage. Lane-confined.
 */
public final class Backoff {

    private final long minMs;
    private final long maxMs;
    private int failures;
    private long nextAttemptNanos;

    /**
     * @param minMs first delay
     * @param maxMs cap
     */
    public Backoff(long minMs, long maxMs) {
        if (minMs <= 0 || maxMs < minMs) {
            throw new IllegalArgumentException("backoff " + minMs + ".." + maxMs + " ms: need 0 < min <= max");
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    /** @return true if an attempt may be made now */
    public boolean due() {
        return failures == 0 || System.nanoTime() - nextAttemptNanos >= 0;
    }

    /**
     * Records a failure and schedules the next attempt.
     *
     * @return the chosen delay in ms
     */
    public long failed() {
        long d = Math.min(maxMs, minMs << Math.min(failures, 30));
        long delay = d / 2 + ThreadLocalRandom.current().nextLong(d - d / 2 + 1);
        failures++;
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        return delay;
    }

    /** Records a success: the next failure starts again from the first delay. */
    public void succeeded() {
        failures = 0;
    }

    /** @return failures in a row */
    public int failures() {
        return failures;
    }
}
