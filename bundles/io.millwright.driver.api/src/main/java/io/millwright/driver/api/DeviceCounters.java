package io.millwright.driver.api;

import io.millwright.api.LatencyHistogram;

/**
 * Counters of a device's lane since activation.
 *
 * @param polls completed poll cycles (or notifications for subscribing drivers)
 * @param samples samples handed to the sink and accepted
 * @param overruns batches the sink refused because it was full (each one a visible gap)
 * @param errors failed device calls (timeouts, exception responses, disconnects)
 * @param pollLatency how long the lane's periodic task took — a poll cycle, request to samples handed over (for a
 *     subscribing driver, its periodic task: notifications are not timed) (since 2.2)
 */
public record DeviceCounters(long polls, long samples, long overruns, long errors, LatencyHistogram pollLatency) {
    /** No activity. */
    public static final DeviceCounters NONE = new DeviceCounters(0, 0, 0, 0);

    /** No latency histogram is an empty one. */
    public DeviceCounters {
        pollLatency = pollLatency == null ? LatencyHistogram.EMPTY : pollLatency;
    }

    /**
     * Counters without latencies.
     *
     * @param polls completed poll cycles
     * @param samples samples accepted
     * @param overruns batches refused
     * @param errors failed device calls
     */
    public DeviceCounters(long polls, long samples, long overruns, long errors) {
        this(polls, samples, overruns, errors, null);
    }
}
