package io.millwright.siteconfig.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Value;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceState;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.driver.api.WriteResult;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Devices whose configuration cannot be applied, made visible where every device is shown (the live view, the
 * uplink's device status): each is a {@link Device} service in state {@link DeviceState#CONFIG_ERROR} with the reason,
 * no channels, and refuses writes. Keyed by where the problem comes from (a site file, a failed activation).
 */
final class ConfigErrorDevices {

    private final BundleContext context;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String deviceId, String message, ServiceRegistration<Device> registration) {
    }

    ConfigErrorDevices(BundleContext context) {
        this.context = context;
    }

    /**
     * Shows (or updates) a device that cannot run.
     *
     * @param key where the problem comes from
     * @param deviceId the device id of the configuration
     * @param driver the PID of the configuration (shown as the driver)
     * @param message the reason, naming the PID, the attribute and the value
     */
    synchronized void show(String key, String deviceId, String driver, String message) {
        Entry old = entries.get(key);
        if (old != null && old.deviceId().equals(deviceId) && old.message().equals(message)) {
            return;
        }
        withdraw(key);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Device.DEVICE_ID, deviceId);
        props.put(Device.DRIVER, driver);
        ServiceRegistration<Device> r = context.registerService(Device.class, new Unconfigured(deviceId, driver, message, Instant.now()), props);
        entries.put(key, new Entry(deviceId, message, r));
    }

    /** @param key where the problem came from: it is gone */
    synchronized void withdraw(String key) {
        Entry e = entries.remove(key);
        if (e != null) {
            try {
                e.registration().unregister();
            } catch (IllegalStateException gone) {
                // bundle stopping
            }
        }
    }

    /** @return the keys currently shown */
    synchronized java.util.Set<String> keys() {
        return java.util.Set.copyOf(entries.keySet());
    }

    synchronized void withdrawAll() {
        List.copyOf(entries.keySet()).forEach(this::withdraw);
    }

    /** A configured device that does not run, and why. */
    private record Unconfigured(String id, String driver, String message, Instant since) implements Device {
        @Override
        public DeviceStatus status() {
            return new DeviceStatus(DeviceState.CONFIG_ERROR, "configuration-refused", message, since);
        }

        @Override
        public List<ChannelDescriptor> channels() {
            return List.of();
        }

        @Override
        public CompletionStage<WriteResult> write(ChannelId channel, Value value) {
            return CompletableFuture.completedFuture(WriteResult.refused("device " + id + " does not run: " + message));
        }
    }
}
