package io.millwright.driver.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A device's status at one moment.
 *
 * @param state the state
 * @param detail a short machine-readable reason, e.g. {@code connect-timeout}, empty when ONLINE
 * @param message a human-readable explanation naming the device, setting or channel concerned
 * @param since when the device entered this state
 */
public record DeviceStatus(DeviceState state, String detail, String message, Instant since) {
    /** Requires state and since; null texts become empty. */
    public DeviceStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        detail = detail == null ? "" : detail;
        message = message == null ? "" : message;
    }

    /**
     * @param state the state
     * @param since when it was entered
     * @return a status without detail or message
     */
    public static DeviceStatus of(DeviceState state, Instant since) {
        return new DeviceStatus(state, "", "", since);
    }
}
