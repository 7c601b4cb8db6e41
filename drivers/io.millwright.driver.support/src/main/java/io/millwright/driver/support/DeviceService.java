package io.millwright.driver.support;

import io.millwright.driver.api.Device;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The whiteboard registration of one device, withdrawn at most once. */
public final class DeviceService {

    private final ServiceRegistration<Device> registration;

    private DeviceService(ServiceRegistration<Device> registration) {
        this.registration = registration;
    }

    /**
     * Registers {@code device} with its id and driver as service properties.
     *
     * @param context bundle context, or null outside OSGi (unit tests): nothing is registered
     * @param device the device
     * @return the registration
     */
    public static DeviceService register(BundleContext context, Device device) {
        if (context == null) {
            return new DeviceService(null);
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Device.DEVICE_ID, device.id());
        props.put(Device.DRIVER, device.driver());
        return new DeviceService(context.registerService(Device.class, device, props));
    }

    /** Withdraws the service; idempotent. */
    public synchronized void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first: the framework withdrew it
            }
        }
    }
}
