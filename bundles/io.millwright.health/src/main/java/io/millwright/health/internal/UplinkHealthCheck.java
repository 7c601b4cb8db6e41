package io.millwright.health.internal;

import io.millwright.uplink.api.Uplink;
import io.millwright.uplink.api.UplinkStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The uplinks: WARN for each one that is not connected (the journal keeps what it cannot send), with its backlog. */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=Uplink", HealthCheck.TAGS + "=millwright", HealthCheck.TAGS + "=uplink"})
public final class UplinkHealthCheck implements HealthCheck {

    private final List<Uplink> uplinks = new CopyOnWriteArrayList<>();

    /** @param uplink an uplink */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUplink(Uplink uplink) {
        uplinks.add(uplink);
    }

    void unbindUplink(Uplink uplink) {
        uplinks.remove(uplink);
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        if (uplinks.isEmpty()) {
            log.info("no uplink is configured");
        }
        for (Uplink u : uplinks) {
            UplinkStatus s = u.status();
            if (s.connected()) {
                log.info("{} connected to {}: backlog {} samples, oldest unsent {} ms", s.name(), s.endpoint(), s.backlogSamples(), s.oldestUnsentAgeMillis());
            } else {
                log.warn("{} is not connected to {} ({}): backlog {} samples kept in the journal", s.name(), s.endpoint(),
                        s.lastError() == null || s.lastError().isEmpty() ? "no error yet" : s.lastError(), s.backlogSamples());
            }
        }
        return new Result(log);
    }
}
