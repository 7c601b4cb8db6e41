package io.millwright.notify.internal;

import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmTransition;
import io.millwright.alarm.api.Alarms;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.Twins;
import io.millwright.uplink.api.Uplink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notification route, from a factory configuration {@code io.millwright.notify.route~<name>}: a filter over alarm
 * events (area, asset class, criticality, priority, transition) and a sink (the MQTT uplink's {@code alarms/<asset>}
 * topic, or a webhook such as a CMMS's work-order endpoint). Thread {@code notify-<name>}; durable position in
 * {@code <data>/notify/<name>.position}.
 */
@Component(configurationPid = NotificationRoute.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = NotificationRoute.class, immediate = true)
@Designate(ocd = NotificationRoute.Config.class, factory = true)
public final class NotificationRoute {

    static final String PID = "io.millwright.notify.route";
    private static final Logger LOG = LoggerFactory.getLogger(NotificationRoute.class);

    /** A route. */
    @ObjectClassDefinition(name = "Millwright notification route", description = "Which alarm events go where: MQTT or a webhook (CMMS)")
    public @interface Config {
        @AttributeDefinition(description = "The route's name (its durable position's name): 1-64 characters of [A-Za-z0-9_.-]")
        String name();

        @AttributeDefinition(description = "Where to", options = {@Option(value = "mqtt", label = "MQTT uplink, topic alarms/<asset>"),
            @Option(value = "webhook", label = "HTTP(S) POST of JSON to url")})
        String sink() default "mqtt";

        @AttributeDefinition(required = false, description = "Webhook URL (http or https)")
        String url() default "";

        /** @return the webhook's Authorization header (private property .authorization: hidden from the REST API and masked in the audit) */
        @AttributeDefinition(required = false, type = AttributeType.PASSWORD, description = "Webhook Authorization header value, e.g. Bearer …")
        String _authorization() default "";

        @AttributeDefinition(required = false, description = "Only these areas (empty: all)")
        String[] areas() default {};

        @AttributeDefinition(required = false, description = "Only these asset classes (empty: all)")
        String[] assetClasses() default {};

        @AttributeDefinition(required = false, description = "Only these criticalities A, B, C (empty: all)")
        String[] criticalities() default {};

        @AttributeDefinition(min = "1", max = "4", description = "Priorities 1 (most urgent) to this (1-4)")
        int maxPriority() default 4;

        @AttributeDefinition(required = false, description = "Only these transitions, e.g. ACTIVATED, ESCALATED (empty: all)")
        String[] transitions() default {};

        @AttributeDefinition(description = "Where a new route starts", options = {@Option(value = "latest", label = "events from now on"),
            @Option(value = "earliest", label = "every event the log still keeps")})
        String startAt() default "latest";

        @AttributeDefinition(min = "100", max = "120000", description = "Timeout of one delivery, ms (100-120000)")
        int timeoutMs() default 10_000;

        @AttributeDefinition(min = "10", max = "600000", description = "First retry after, ms (10-600000)")
        int retryMinMs() default 1_000;

        @AttributeDefinition(min = "10", max = "3600000", description = "Longest wait between retries, ms (10-3600000)")
        int retryMaxMs() default 60_000;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private final List<Uplink> uplinks = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Twins twins;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AssetModel model;

    private final RouteWorker worker;
    private final Thread thread;
    private final String name;

    /**
     * @param context for the data folder and the gateway's name
     * @param alarms the alarm log
     * @param c the route
     */
    @Activate
    public NotificationRoute(BundleContext context, @Reference Alarms alarms, Config c) {
        this.name = c.name();
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException(PID + ": name '" + name + "' — 1-64 characters of [A-Za-z0-9_.-]");
        }
        if (c.retryMaxMs() < c.retryMinMs()) {
            throw new IllegalArgumentException(PID + "~" + name + ": retryMaxMs " + c.retryMaxMs() + " < retryMinMs " + c.retryMinMs());
        }
        Sink sink = switch (c.sink()) {
            case "webhook" -> webhook(c);
            case "mqtt" -> new MqttSink(() -> uplinks.isEmpty() ? null : uplinks.get(0), Duration.ofMillis(c.timeoutMs()));
            default -> throw new IllegalArgumentException(PID + "~" + name + ": sink '" + c.sink() + "' — expected mqtt or webhook");
        };
        Set<AlarmTransition> transitions = Arrays.stream(c.transitions()).filter(t -> !t.isBlank()).map(t -> {
            try {
                return AlarmTransition.valueOf(t.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PID + "~" + name + ": transitions '" + t + "' — expected some of " + Arrays.toString(AlarmTransition.values()));
            }
        }).collect(Collectors.toSet());
        RouteWorker.Filter filter = new RouteWorker.Filter(set(c.areas()), set(c.assetClasses()), set(c.criticalities()), c.maxPriority(), transitions);
        String data = context.getProperty("millwright.data.dir");
        Path dir = Path.of(data == null || data.isBlank() ? "data" : data).resolve("notify");
        RoutePosition position = new RoutePosition(dir, name, c.startAt().equals("earliest") ? 0 : alarms.lastSequence());
        String gateway = gateway(context);
        this.worker = new RouteWorker(name, alarms, filter, sink, position, e -> payload(gateway, alarms, e), c.retryMinMs(), c.retryMaxMs());
        this.thread = new Thread(worker, "notify-" + name);
        thread.setDaemon(true);
        thread.start();
        LOG.info("notification route {}: {} from alarm event {} (filter {})", name, sink.describe(), position.get(), filter);
    }

    private byte[] payload(String gateway, Alarms alarms, AlarmEvent e) {
        Twins t = twins;
        AssetModel m = model;
        return Notification.json(gateway, e, alarms.alarm(e.alarmId()).orElse(null), m == null ? null : m.asset(e.asset()).orElse(null),
                t == null ? null : t.twin(e.asset()).orElse(null));
    }

    private WebhookSink webhook(Config c) {
        URI url;
        try {
            url = URI.create(c.url().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + "~" + name + ": url '" + c.url() + "' — " + e.getMessage());
        }
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(PID + "~" + name + ": url '" + c.url() + "' — expected an http:// or https:// URL");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (!c._authorization().isBlank()) {
            headers.put("Authorization", c._authorization().trim());
        }
        return new WebhookSink(url, Duration.ofMillis(c.timeoutMs()), headers);
    }

    static String gateway(BundleContext context) {
        String id = context.getProperty("millwright.gateway.id");
        if (id != null && !id.isBlank()) {
            return id;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "gateway";
        }
    }

    private static Set<String> set(String[] values) {
        return Arrays.stream(values).map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toSet());
    }

    /** @return route name, position, delivered, failures, last error */
    String status() {
        return name + " at " + worker.position() + ", delivered " + worker.delivered() + ", failed attempts " + worker.failures()
                + (worker.lastError().isEmpty() ? "" : ", last error: " + worker.lastError());
    }

    @Deactivate
    void deactivate() {
        worker.stop();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
