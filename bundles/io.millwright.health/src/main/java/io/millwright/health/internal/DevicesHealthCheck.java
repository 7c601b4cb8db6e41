package io.millwright.health.internal;

import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceStatus;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The devices: CRITICAL for a device whose configuration is wrong (it will not come online by itself), WARN for one
 * that is offline, starting or degraded (the driver keeps retrying), OK when every device is online.
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=Devices", HealthCheck.TAGS + "=millwright", HealthCheck.TAGS + "=devices"})
public final class DevicesHealthCheck implements HealthCheck {

    private final List<Device> devices = new CopyOnWriteArrayList<>();

    /** @param device a device */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device) {
        devices.add(device);
    }

    void unbindDevice(Device device) {
        devices.remove(device);
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        if (devices.isEmpty()) {
            log.info("no device is configured");
        }
        for (Device d : devices.stream().sorted(Comparator.comparing(Device::id)).toList()) {
            DeviceStatus s = d.status();
            String why = s.message() == null || s.message().isEmpty() ? (s.detail() == null ? "" : s.detail()) : s.message();
            switch (s.state()) {
                case ONLINE -> log.info("{} ({}) online since {}", d.id(), d.driver(), s.since());
                case CONFIG_ERROR -> log.critical("{} ({}) has a configuration error: {}", d.id(), d.driver(), why);
                case STOPPED -> log.info("{} ({}) stopped", d.id(), d.driver());
                default -> log.warn("{} ({}) is {} since {}: {}", d.id(), d.driver(), s.state(), s.since(), why);
            }
        }
        return new Result(log);
    }
}
