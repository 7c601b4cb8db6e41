package io.millwright.health.internal;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The gateway's own components (bundles {@code io.millwright.*}): CRITICAL for one that failed to activate, WARN for
 * one whose references are unsatisfied. A component waiting for a configuration that does not exist (a driver
 * nobody configured) is not a fault.
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=Components", HealthCheck.TAGS + "=millwright", HealthCheck.TAGS + "=components"})
public final class ComponentsHealthCheck implements HealthCheck {

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    /**
     * @param context for the bundles
     * @param scr the component runtime
     */
    @Activate
    public ComponentsHealthCheck(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        int active = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("io.millwright.")) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    switch (c.state) {
                        case ComponentConfigurationDTO.FAILED_ACTIVATION -> log.critical("{} failed to activate: {}", d.name, firstLine(c.failure));
                        case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                            StringBuilder refs = new StringBuilder();
                            for (var u : c.unsatisfiedReferences) {
                                refs.append(refs.length() == 0 ? "" : ", ").append(u.name);
                            }
                            log.warn("{} is unsatisfied: it needs {}", d.name, refs);
                        }
                        case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> log.warn("{} waits for its configuration", d.name);
                        default -> active++;
                    }
                }
            }
        }
        log.info("{} component configurations of the gateway satisfied or active", active);
        return new Result(log);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no reason given)";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
