package io.millwright.write.internal;

import io.millwright.api.ChannelId;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Twin;
import io.millwright.asset.api.Twins;
import io.millwright.audit.api.AuditTrail;
import io.millwright.driver.api.Device;
import io.millwright.identity.api.Role;
import io.millwright.write.api.WriteGuard;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WriteGuard} service (PID {@value #PID}): the policies from {@link PolicyConfiguration}s, the tags from the
 * asset model, interlocks and read-back from the twins, the devices as they come and go. Thread {@code write-guard}
 * runs read-backs and approval expiries; {@link #submit} runs on the caller's thread until the device answers.
 */
@Component(configurationPid = WriteGuardComponent.PID, service = WriteGuard.class, immediate = true)
@Designate(ocd = WriteGuardComponent.Config.class)
public final class WriteGuardComponent implements WriteGuard {

    static final String PID = "io.millwright.write";
    private static final Logger LOG = LoggerFactory.getLogger(WriteGuardComponent.class);

    /** Guard settings. */
    @ObjectClassDefinition(name = "Millwright write guard", description = "The one path by which anything writes to a machine")
    public @interface Config {
        /** @return approval timeout */
        @AttributeDefinition(min = "1", max = "1440", description = "How long a write waits for a second person's approval, minutes")
        int approvalTimeoutMinutes() default 15;
    }

    private final Map<PolicyConfiguration, Boolean> configurations = new ConcurrentHashMap<>();
    private final Map<Device, Boolean> devices = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    private final Guard guard;

    /**
     * @param model the asset model
     * @param twins the twins
     * @param audit the audit trail
     * @param config settings
     */
    @Activate
    public WriteGuardComponent(@Reference AssetModel model, @Reference Twins twins, @Reference AuditTrail audit, Config config) {
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "write-guard");
            t.setDaemon(true);
            return t;
        });
        Plant plant = new Plant() {
            @Override
            public Optional<AssetTag> tag(String asset, String tag) {
                return model.asset(asset).flatMap(a -> a.tag(tag));
            }

            @Override
            public Optional<Twin> twin(String asset) {
                return twins.twin(asset);
            }

            @Override
            public Optional<Device> device(ChannelId source) {
                return devices.keySet().stream().filter(d -> d.channels().stream().anyMatch(c -> c.id().equals(source))).findFirst();
            }

            @Override
            public void desire(String asset, Twin.Desired desired) {
                twins.desire(asset, desired);
            }
        };
        this.guard = new Guard(plant, audit, Clock.systemUTC(), thread, Duration.ofMinutes(config.approvalTimeoutMinutes()));
        refresh();
    }

    /** @param c a policy configuration */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(PolicyConfiguration c) {
        configurations.put(c, Boolean.TRUE);
        refresh();
    }

    void removePolicy(PolicyConfiguration c) {
        configurations.remove(c);
        refresh();
    }

    /** @param d a device */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(Device d) {
        devices.put(d, Boolean.TRUE);
    }

    void removeDevice(Device d) {
        devices.remove(d);
    }

    private synchronized void refresh() {
        Guard g = guard;
        if (g == null) {
            return; // references bound before the constructor finished; the constructor refreshes
        }
        Map<String, WritePolicy> byTarget = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (PolicyConfiguration c : configurations.keySet()) {
            if (c.policy() == null) {
                problems.put(c.target(), c.problem());
            } else if (byTarget.containsKey(c.target())) {
                problems.put(c.target(), c.name() + ": a second policy for the same tag (the first one stays)");
            } else {
                byTarget.put(c.target(), c.policy());
            }
        }
        g.policies(byTarget, problems);
        if (!problems.isEmpty()) {
            LOG.warn("write policies that cannot be used (writes to these tags are refused): {}", problems.values());
        }
    }

    @Override
    public WriteRecord submit(WriteRequest request) {
        return guard.submit(request);
    }

    @Override
    public WriteRecord approve(String id, String actor, String person, Role role, String comment) {
        return guard.approve(id, actor, person, role, comment);
    }

    @Override
    public WriteRecord reject(String id, String actor, String person, Role role, String comment) {
        return guard.reject(id, actor, person, role, comment);
    }

    @Override
    public WriteRecord await(String id, Duration timeout) throws InterruptedException {
        return guard.await(id, timeout);
    }

    @Override
    public Optional<WriteRecord> record(String id) {
        return guard.record(id);
    }

    @Override
    public List<WriteRecord> records(int max) {
        return guard.records(max);
    }

    @Override
    public List<WritePolicy> policies() {
        return guard.policies();
    }

    @Override
    public List<String> problems() {
        return guard.problems();
    }

    @Deactivate
    void deactivate() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
