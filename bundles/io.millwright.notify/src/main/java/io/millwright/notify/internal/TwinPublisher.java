package io.millwright.notify.internal;

import io.millwright.asset.api.Twin;
import io.millwright.asset.api.Twins;
import io.millwright.uplink.api.Uplink;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each asset's twin as a retained MQTT message on {@code twins/<asset>} (contract: docs/mqtt.md, "twin"):
 * when its operating state, health or maintenance changes, after every (re)connect of the uplink, and at least every
 * {@code refreshSeconds} so that the reported values a late subscriber finds are recent. Thread {@code notify-twins}.
 */
@Component(configurationPid = TwinPublisher.PID, immediate = true, service = TwinPublisher.class)
@Designate(ocd = TwinPublisher.Config.class)
public final class TwinPublisher {

    static final String PID = "io.millwright.notify.twins";
    private static final Logger LOG = LoggerFactory.getLogger(TwinPublisher.class);

    /** Settings. */
    @ObjectClassDefinition(name = "Millwright retained twins", description = "Each asset's twin as a retained MQTT message")
    public @interface Config {
        @AttributeDefinition(min = "0", max = "86400", description = "Republish at least every so many seconds (0-86400; 0: only on change)")
        int refreshSeconds() default 60;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private final List<Uplink> uplinks = new CopyOnWriteArrayList<>();

    private final Twins twins;
    private final String gateway;
    private final long refreshMs;
    private final ScheduledExecutorService thread;
    private final Map<String, String> published = new HashMap<>();
    private final Map<String, Long> publishedAt = new HashMap<>();
    private boolean wasConnected;

    /**
     * @param context for the gateway's name
     * @param twins the twins
     * @param config settings
     */
    @Activate
    public TwinPublisher(BundleContext context, @Reference Twins twins, Config config) {
        this.twins = twins;
        this.gateway = NotificationRoute.gateway(context);
        this.refreshMs = config.refreshSeconds() * 1000L;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notify-twins");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 2, 2, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            Uplink u = uplinks.isEmpty() ? null : uplinks.get(0);
            boolean connected = u != null && u.status().connected();
            if (!connected) {
                wasConnected = false;
                return;
            }
            if (!wasConnected) {
                published.clear(); // a new session: publish every twin again
                wasConnected = true;
            }
            long now = System.currentTimeMillis();
            for (Twin t : twins.twins()) {
                String signature = t.operatingState() + "|" + t.health().staleTags() + t.health().badTags() + t.health().activeAlarms() + "|"
                        + t.health().urgency() + "|" + t.health().model() + "|" + t.maintenance() + "|" + t.lastMaintenance();
                boolean due = refreshMs > 0 && now - publishedAt.getOrDefault(t.asset(), 0L) >= refreshMs;
                if (!signature.equals(published.get(t.asset())) || due) {
                    u.publish("twins/" + t.asset(), json(gateway, t), true).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            LOG.debug("twin {}: retained publish failed: {}", t.asset(), failure.toString());
                            thread.execute(() -> published.remove(t.asset())); // tried again at the next tick
                        }
                    });
                    published.put(t.asset(), signature);
                    publishedAt.put(t.asset(), now);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("retained twins: {}", e.toString());
        }
    }

    static byte[] json(String gateway, Twin t) {
        JsonObjectBuilder reported = Json.createObjectBuilder();
        for (Twin.Reported r : t.reported()) {
            JsonObjectBuilder o = Json.createObjectBuilder();
            if (Double.isFinite(r.number())) {
                o.add("value", r.number());
            } else {
                o.add("value", r.text());
            }
            o.add("unit", r.unit()).add("quality", r.quality()).add("time", r.timeMs() == 0 ? "" : Instant.ofEpochMilli(r.timeMs()).toString())
                    .add("stale", r.stale());
            reported.add(r.tag(), o);
        }
        var desired = Json.createArrayBuilder();
        t.desired().forEach(d -> desired.add(Json.createObjectBuilder().add("tag", d.tag()).add("value", d.value()).add("unit", d.unit())
                .add("status", d.status()).add("time", Instant.ofEpochMilli(d.timeMs()).toString()).add("by", d.by())));
        Twin.Health h = t.health();
        var alarms = Json.createObjectBuilder();
        h.activeAlarms().forEach((p, n) -> alarms.add("p" + p, n));
        JsonObjectBuilder health = Json.createObjectBuilder().add("urgency", h.urgency()).add("model", h.model()).add("activeAlarms", alarms)
                .add("staleTags", Json.createArrayBuilder(h.staleTags())).add("badTags", Json.createArrayBuilder(h.badTags()));
        if (Double.isFinite(h.goodShare())) {
            health.add("goodShare", h.goodShare());
        }
        if (Double.isFinite(h.rul())) {
            health.add("rul", h.rul()).add("rulUnit", h.rulUnit());
        }
        JsonObjectBuilder o = Json.createObjectBuilder().add("v", 1).add("kind", "twin").add("gateway", gateway).add("asset", t.asset())
                .add("operatingState", t.operatingState().name()).add("operatingSince", Instant.ofEpochMilli(t.operatingSinceMs()).toString())
                .add("health", health).add("reported", reported).add("desired", desired)
                .add("updated", Instant.ofEpochMilli(t.updatedMs()).toString());
        if (t.maintenance() != null) {
            o.add("maintenance", maintenance(t.maintenance()));
        }
        if (t.lastMaintenance() != null) {
            o.add("lastMaintenance", maintenance(t.lastMaintenance()));
        }
        return o.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObjectBuilder maintenance(Twin.Maintenance m) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("started", Instant.ofEpochMilli(m.startedMs()).toString()).add("by", m.by()).add("note", m.note());
        if (m.endedMs() > 0) {
            o.add("ended", Instant.ofEpochMilli(m.endedMs()).toString()).add("endedBy", m.endedBy()).add("endNote", m.endNote());
        }
        return o;
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
