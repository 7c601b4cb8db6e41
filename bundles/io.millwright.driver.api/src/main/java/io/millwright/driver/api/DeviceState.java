package io.millwright.driver.api;

/** The life of a device instance as the live view and the uplink show it. */
public enum DeviceState {
    /** Configured, connecting for the first time. */
    STARTING,
    /** Connected and delivering samples. */
    ONLINE,
    /** Connected but some channels fail (e.g. exception responses). */
    DEGRADED,
    /** Not connected; the driver is retrying with backoff. */
    OFFLINE,
    /** The configuration is invalid; the device will not start until it is fixed. */
    CONFIG_ERROR,
    /** Deactivated. */
    STOPPED
}
