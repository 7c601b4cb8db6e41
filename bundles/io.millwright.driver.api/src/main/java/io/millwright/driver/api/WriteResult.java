package io.millwright.driver.api;

/**
 * Outcome of a write to a device.
 *
 * @param accepted true if the device accepted the value
 * @param message why it was refused, or what was done
 */
public record WriteResult(boolean accepted, String message) {
    /**
     * @param message what was done
     * @return an accepted result
     */
    public static WriteResult accepted(String message) {
        return new WriteResult(true, message);
    }

    /**
     * @param message why the write was refused, naming the channel and value
     * @return a refused result
     */
    public static WriteResult refused(String message) {
        return new WriteResult(false, message);
    }
}
