package io.millwright.driver.api;

import io.millwright.api.ChannelId;
import io.millwright.api.Value;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One configured device instance of a driver, registered as an OSGi service by the driver
 * bundle (whiteboard). Service property {@value #DEVICE_ID} carries {@link #id()}.
 *
 * <p>Contract for implementations: activation returns quickly and does I/O on the device's own
 * lane (one thread per physical endpoint); an unreachable device is reported through
 * {@link #status()}, not thrown; every call to the device has a timeout.
 */
@ConsumerType
public interface Device {

    /** Service property with the device id. */
    String DEVICE_ID = "millwright.device.id";

    /** Service property with the driver name, e.g. {@code simulator}, {@code modbus}. */
    String DRIVER = "millwright.driver";

    /** @return the device id, unique in the gateway, e.g. {@code plc1} */
    String id();

    /** @return the driver name, e.g. {@code modbus} */
    String driver();

    /** @return the current status; never null */
    DeviceStatus status();

    /** @return the channels this device publishes, with their declared type, unit and bounds */
    List<ChannelDescriptor> channels();

    /**
     * Writes a value to a writable channel, asynchronously on the device's lane.
     *
     * @param channel the channel
     * @param value the value
     * @return completes with the outcome; a refused write (not writable, wrong type, out of bounds,
     *     device offline) completes normally with {@link WriteResult#accepted()} false
     */
    CompletionStage<WriteResult> write(ChannelId channel, Value value);

    /**
     * @param channel one of this device's channels
     * @return where the device reads it, as the driver names it (a register such as {@code holding:0 uint16}, an OPC UA
     *     node id, a PLC4X address); empty if the driver does not say or the channel is not this device's
     * @since 2.1
     */
    default String address(ChannelId channel) {
        return "";
    }

    /** @return counters of this device's lane (polls, overruns, errors) */
    default DeviceCounters counters() {
        return DeviceCounters.NONE;
    }
}
