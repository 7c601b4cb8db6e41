package io.millwright.siteconfig.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device configurations that passed the metatype but that their component refused at activation (e.g. a Modbus
 * channel with a bad address): SCR's runtime is read every 2 s (thread {@code siteconfig-failures}); each such
 * configuration is logged once (ERROR, with the PID and the component's reason) and shown as a device in state
 * CONFIG_ERROR until it is fixed or deleted.
 */
@Component(immediate = true, service = {})
public final class FailedDeviceConfigurations {

    private static final Logger LOG = LoggerFactory.getLogger(FailedDeviceConfigurations.class);

    private final ServiceComponentRuntime scr;
    private final ConfigErrorDevices problems;
    private final ScheduledExecutorService poller;
    private final Map<String, String> logged = new HashMap<>();

    /**
     * @param context the bundle context
     * @param scr SCR's runtime view
     */
    @Activate
    public FailedDeviceConfigurations(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.scr = scr;
        this.problems = new ConfigErrorDevices(context);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "siteconfig-failures");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollGuarded, 1, 2, TimeUnit.SECONDS);
    }

    private void pollGuarded() {
        try {
            poll();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("configuration problems: reading SCR's runtime failed; trying again in 2 s", e);
        }
    }

    private void poll() {
        Set<String> now = new HashSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                Object deviceId = c.properties.get("deviceId");
                if (c.state != ComponentConfigurationDTO.FAILED_ACTIVATION || deviceId == null) {
                    continue;
                }
                Object pid = c.properties.get("service.pid");
                String key = "activation " + pid;
                String reason = reason(c.failure);
                now.add(key);
                String message = "configuration " + pid + " of device " + deviceId + " refused by " + d.name + ": " + reason;
                if (!message.equals(logged.put(key, message))) {
                    LOG.error("{}", message);
                }
                problems.show(key, deviceId.toString(), String.valueOf(c.properties.getOrDefault("service.factoryPid", pid)), message);
            }
        }
        for (String key : problems.keys()) {
            if (!now.contains(key)) {
                problems.withdraw(key);
                logged.remove(key);
            }
        }
    }

    /**
     * @return the component's own reason from SCR's failure text: the message of the first exception in the chain that
     *     is not SCR's or reflection's wrapper (the component's exception names the PID and the value; its causes, e.g.
     *     a NumberFormatException, say less)
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "activation failed";
        }
        for (String line : failure.split("\\R")) {
            String text = line.trim();
            if (text.startsWith("Caused by: ")) {
                text = text.substring("Caused by: ".length());
            }
            int colon = text.indexOf(": ");
            if (colon <= 0) {
                continue;
            }
            String type = text.substring(0, colon);
            if (type.matches("[\\w.$]+(Exception|Error)") && !type.startsWith("org.osgi.") && !type.startsWith("org.apache.felix.")
                    && !type.startsWith("java.lang.reflect.")) {
                return text.substring(colon + 2);
            }
        }
        return failure.lines().findFirst().orElse(failure).trim();
    }

    /** Stops reading; the devices shown go. */
    @Deactivate
    void deactivate() {
        poller.shutdown();
        try {
            if (!poller.awaitTermination(10, TimeUnit.SECONDS)) {
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            poller.shutdownNow();
            Thread.currentThread().interrupt();
        }
        problems.withdrawAll();
    }
}
