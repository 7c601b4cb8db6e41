package io.millwright.driver.api;

/**
 * Counters of a device's lane since activation.
 *
 * @param polls completed poll cycles (or notifications for subscribing drivers)
 * @param samples samples handed to the sink and accepted
 * @param overruns batches the sink refused because it was full (each one a visible gap)
 * @param errors failed device calls (timeouts, exception responses, disconnects)
 */
public record DeviceCounters(long polls, long samples, long overruns, long errors) {
    /** No activity. */
    public static final DeviceCounters NONE = new DeviceCounters(0, 0, 0, 0);
}
