package io.millwright.optimizer.internal;

import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Twin;
import io.millwright.asset.api.Twins;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.Role;
import io.millwright.optimizer.api.Envelope;
import io.millwright.optimizer.api.OptimizerStatus;
import io.millwright.optimizer.api.Optimizers;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.WhatIf;
import io.millwright.whatif.api.WhatIfReport;
import io.millwright.write.api.WriteGuard;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Optimizers} service: one {@link AssetOptimizer} per {@link OptimizerConfiguration}, all ticked once a
 * second on the thread {@code optimizer} (a decision every period, the stop conditions at every decision and
 * heartbeat), acting through the what-if service and the write guard, persisting their state through Configuration
 * Admin ({@value OptimizerConfiguration#PID}{@code ~<asset>}). Enabling (an engineer's) and the kill switch (an
 * operator's) are audited here; every write and its result is audited by the guard.
 */
@Component(service = Optimizers.class, immediate = true)
public final class OptimizerComponent implements Optimizers {

    private static final Logger LOG = LoggerFactory.getLogger(OptimizerComponent.class);

    private final Map<String, AssetOptimizer> optimizers = new ConcurrentHashMap<>();
    private final Twins twins;
    private final AssetModel model;
    private final AuditTrail audit;
    private final ConfigurationAdmin configAdmin;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService thread;
    private final AssetOptimizer.Services services;

    /**
     * @param twins the twins
     * @param model the asset model
     * @param whatIf the what-if service
     * @param guard the write guard
     * @param audit the audit trail
     * @param configAdmin where the optimizers' state is kept
     */
    @Activate
    public OptimizerComponent(@Reference Twins twins, @Reference AssetModel model, @Reference WhatIf whatIf, @Reference WriteGuard guard,
            @Reference AuditTrail audit, @Reference ConfigurationAdmin configAdmin) {
        this.twins = twins;
        this.model = model;
        this.audit = audit;
        this.configAdmin = configAdmin;
        this.services = new AssetOptimizer.Services() {
            @Override
            public Optional<Twin> twin(String asset) {
                return twins.twin(asset);
            }

            @Override
            public WhatIfReport whatIf(String asset, List<Scenario> scenarios, Duration horizon) {
                return whatIf.run(asset, scenarios, horizon);
            }

            @Override
            public WriteRecord submit(WriteRequest request) {
                return guard.submit(request);
            }

            @Override
            public List<WriteRecord> records(int max) {
                return guard.records(max);
            }

            @Override
            public Optional<WritePolicy> policy(String asset, String tag) {
                return guard.policies().stream().filter(p -> p.asset().equals(asset) && p.tag().equals(tag)).findFirst();
            }

            @Override
            public void audit(AuditEvent event) {
                audit.record(event);
            }

            @Override
            public void persist(String asset, Map<String, Object> properties) {
                OptimizerComponent.this.persist(asset, properties);
            }
        };
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "optimizer");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        thread.shutdownNow();
    }

    /**
     * @param c an optimizer's configuration
     * @param properties its properties
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, updated = "updatedConfiguration")
    void addConfiguration(OptimizerConfiguration c, Map<String, Object> properties) {
        String asset = String.valueOf(properties.getOrDefault("asset", "")).trim();
        if (asset.isEmpty()) {
            LOG.warn("{} without an asset: ignored", properties.get("service.pid"));
            return;
        }
        optimizers.computeIfAbsent(asset, a -> new AssetOptimizer(a, services)).configure(properties);
    }

    void updatedConfiguration(OptimizerConfiguration c, Map<String, Object> properties) {
        addConfiguration(c, properties);
    }

    void removeConfiguration(OptimizerConfiguration c, Map<String, Object> properties) {
        String asset = String.valueOf(properties.getOrDefault("asset", "")).trim();
        AssetOptimizer o = optimizers.get(asset);
        if (o != null && o.state() == OptimizerStatus.State.ACTIVE) {
            o.stop("configuration", "its configuration was deleted", false, clock.millis());
        }
        optimizers.remove(asset);
    }

    private void tick() {
        long now = clock.millis();
        for (AssetOptimizer o : optimizers.values()) {
            try {
                o.tick(now);
            } catch (RuntimeException e) {
                LOG.warn("optimizer {}: {}", o.actor(), e.toString(), e);
            }
        }
    }

    @Override
    public List<OptimizerStatus> statuses() {
        return optimizers.keySet().stream().sorted().map(a -> status(a).orElseThrow()).toList();
    }

    @Override
    public Optional<OptimizerStatus> status(String asset) {
        AssetOptimizer o = optimizers.get(asset);
        if (o == null) {
            return Optional.empty();
        }
        Envelope e = o.envelope();
        double value = e == null ? Double.NaN : twins.twin(asset).map(t -> AssetOptimizer.reported(t, e.tag())).orElse(Double.NaN);
        return Optional.of(o.status(value));
    }

    @Override
    public OptimizerStatus enable(String asset, Envelope envelope, String actor, Role role, String source, String address) {
        String target = asset + "/" + envelope.tag();
        if (!role.includes(Role.ENGINEER)) {
            refused(actor, role, source, address, "optimizer.enable", target, "role " + role.id() + ": enabling an optimizer is an engineer's");
            throw new SecurityException("enabling the optimizer of " + asset + " needs the engineer role (you are " + role.id() + ")");
        }
        Asset a = model.asset(asset).orElseThrow(() -> new NoSuchElementException("no asset '" + asset + "' in the asset model"));
        AssetTag tag = a.tag(envelope.tag()).orElseThrow(() -> new NoSuchElementException("tag: " + asset + " has no tag '" + envelope.tag() + "'"));
        if (!tag.writable()) {
            throw new IllegalArgumentException("tag: " + target + " is not writable");
        }
        WritePolicy policy = services.policy(asset, envelope.tag()).orElseThrow(() -> new IllegalArgumentException("tag: " + target
                + " has no write policy (io.millwright.write.policy): the optimizer writes through the guard"));
        if (policy.approval()) {
            throw new IllegalArgumentException("tag: the write policy of " + target + " needs two-person approval for every write: "
                    + "a closed loop cannot wait for one");
        }
        if (envelope.min() < policy.min() || envelope.max() > policy.max()) {
            throw new IllegalArgumentException("min: " + Planner.num(envelope.min()) + " – max: " + Planner.num(envelope.max())
                    + " lies outside the write policy's bounds " + Planner.num(policy.min()) + "–" + Planner.num(policy.max()) + " " + tag.unit());
        }
        Optional<Twin> twin = twins.twin(asset);
        double current = twin.map(t -> AssetOptimizer.reported(t, envelope.tag())).orElse(Double.NaN);
        if (Double.isNaN(current)) {
            throw new IllegalStateException(asset + " reports no current value of " + envelope.tag()
                    + ": the optimizer needs it as the value a stop reverts to");
        }
        AssetOptimizer o = optimizers.computeIfAbsent(asset, x -> new AssetOptimizer(x, services));
        OptimizerStatus before = o.status(current);
        audit.record(new AuditEvent(actor, role.id(), source, address, "optimizer.enable", target, describe(before), describe(envelope, current),
                AuditEvent.OK, "")); // no trail, no loop: a failing trail refuses the enable
        return o.enable(envelope, actor, current, clock.millis());
    }

    @Override
    public OptimizerStatus stop(String asset, String reason, String actor, Role role, String source, String address) {
        if (!role.includes(Role.OPERATOR)) {
            refused(actor, role, source, address, "optimizer.stop", asset, "role " + role.id() + ": the kill switch is an operator's");
            throw new SecurityException("stopping the optimizer of " + asset + " needs the operator role (you are " + role.id() + ")");
        }
        AssetOptimizer o = optimizers.get(asset);
        if (o == null) {
            throw new NoSuchElementException("no optimizer is configured for '" + asset + "'");
        }
        String why = "kill switch" + (reason == null || reason.isBlank() ? "" : ": " + reason.trim());
        boolean wasActive = o.stop(actor, why, true, clock.millis());
        try {
            audit.record(new AuditEvent(actor, role.id(), source, address, "optimizer.stop", asset, Map.of("state", wasActive ? "active" : o.state().id()),
                    Map.of("state", o.state().id(), "revert", Boolean.toString(wasActive)), AuditEvent.OK, wasActive ? why : "it was not running"));
        } catch (UncheckedIOException e) {
            LOG.error("the optimizer of {} is stopped, but the audit trail could not record it: {}", asset, e.toString());
        }
        thread.execute(this::tick); // the revert's first step now, not at the next heartbeat
        return status(asset).orElseThrow();
    }

    private void refused(String actor, Role role, String source, String address, String action, String target, String why) {
        try {
            audit.record(AuditEvent.of(actor, role.id(), source, address, action, target, AuditEvent.REFUSED, why));
        } catch (UncheckedIOException e) {
            LOG.warn("a refused {} could not be audited: {}", action, e.toString());
        }
    }

    private static Map<String, String> describe(OptimizerStatus s) {
        return s.envelope() == null ? Map.of("state", s.state().id()) : Map.of("state", s.state().id(), "envelope", text(s.envelope()));
    }

    private static Map<String, String> describe(Envelope e, double current) {
        return Map.of("state", "active", "envelope", text(e), "humanValue", Planner.num(current));
    }

    private static String text(Envelope e) {
        return e.tag() + " " + Planner.num(e.min()) + "–" + Planner.num(e.max()) + ", ≤ " + Planner.num(e.maxChangePerHour()) + "/h, life ≥ "
                + Planner.num(e.rulTargetHours()) + " h, every " + e.periodSeconds() + " s";
    }

    private void persist(String asset, Map<String, Object> properties) {
        try {
            Configuration c = configAdmin.getFactoryConfiguration(OptimizerConfiguration.PID, asset, "?");
            Dictionary<String, Object> d = new Hashtable<>();
            properties.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getKey)).forEach(e -> d.put(e.getKey(), e.getValue()));
            c.update(d);
        } catch (IOException e) {
            throw new UncheckedIOException("the optimizer of " + asset + " could not be saved: " + e.getMessage(), e);
        }
    }
}
