package io.millwright.uplink.mqtt.internal;

import io.millwright.audit.api.AuditTrail;
import io.millwright.driver.api.Device;
import io.millwright.identity.api.IdentityService;
import java.nio.file.Path;
import java.time.Instant;
import io.millwright.journal.api.Journal;
import io.millwright.uplink.api.Uplink;
import io.millwright.uplink.api.UplinkStatus;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.cm.ConfigurationAdmin;
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

/**
 * The MQTT uplink as a component: active only when configured (PID {@value #PID}). Secrets use
 * private property names (leading dot): {@code .password}, {@code .trustStorePassword},
 * {@code .keyStorePassword}, {@code .commandHmacKey}. Commands: {@link CommandSettings}, {@link CommandHandler}.
 */
@Component(configurationPid = MqttUplinkComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = Uplink.class,
        immediate = true)
@Designate(ocd = MqttUplinkComponent.Config.class)
public final class MqttUplinkComponent implements Uplink {

    static final String PID = "io.millwright.uplink.mqtt";

    /** Uplink configuration. */
    @ObjectClassDefinition(name = "Millwright MQTT uplink", description = "Store-and-forward of the journal to an MQTT broker (QoS 1)")
    public @interface Config {
        /** @return broker URI */
        @AttributeDefinition(description = "Broker URI: tcp://host:1883 or ssl://host:8883")
        String brokerUri();

        /** @return MQTT protocol version */
        @AttributeDefinition(description = "MQTT protocol version: 3.1.1 or 5")
        String protocol() default "3.1.1";

        /** @return gateway id, a topic segment */
        @AttributeDefinition(description = "Gateway id: the topic segment after the prefix")
        String gatewayId() default "gateway";

        /** @return topic prefix */
        @AttributeDefinition(description = "Topic prefix (contract version in it)")
        String topicPrefix() default "millwright/v1";

        /** @return MQTT client id; empty for millwright-<gatewayId> */
        @AttributeDefinition(description = "MQTT client id; empty for millwright-<gatewayId>")
        String clientId() default "";

        /** @return user name; empty for none */
        @AttributeDefinition(description = "User name; empty for none")
        String username() default "";

        /** @return password (property .password) */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password")
        String _password() default "";

        /** @return samples per telemetry message at most */
        @AttributeDefinition(description = "Samples per telemetry message at most (1-100000)")
        int maxBatchSamples() default 2000;

        /** @return message size bound, bytes */
        @AttributeDefinition(description = "Telemetry message size bound in bytes (estimated; brokers and clouds cap messages, e.g. 128 KiB)")
        long maxMessageBytes() default 256 * 1024;

        /** @return order policy */
        @AttributeDefinition(description = "After an outage: oldest-first (strict journal order) or live-first (new samples first, backlog oldest-first behind them)")
        String order() default "oldest-first";

        /** @return linger, ms */
        @AttributeDefinition(description = "Publish cycle in ms: how long samples wait to fill a batch (1-60000)")
        int lingerMs() default 200;

        /** @return messages in flight at most */
        @AttributeDefinition(description = "Unacknowledged messages at most (1-1000)")
        int maxInFlight() default 32;

        /** @return bandwidth cap, bytes/s; 0 for none */
        @AttributeDefinition(description = "Bandwidth cap for telemetry in bytes/s; 0 = off")
        long maxBytesPerSecond() default 0;

        /** @return connect timeout, s */
        @AttributeDefinition(description = "Connect timeout in s")
        int connectTimeoutSeconds() default 10;

        /** @return keep-alive, s */
        @AttributeDefinition(description = "Keep-alive in s")
        int keepAliveSeconds() default 30;

        /** @return first reconnect delay, ms */
        @AttributeDefinition(description = "First reconnect delay in ms; doubles per failure (with jitter) up to reconnectMaxMs")
        int reconnectMinMs() default 1000;

        /** @return longest reconnect delay, ms */
        @AttributeDefinition(description = "Longest reconnect delay in ms")
        int reconnectMaxMs() default 30000;

        /** @return trust store path for ssl:// */
        @AttributeDefinition(description = "Trust store (PKCS12, or JKS if it ends in .jks) with the broker's CA; empty for the JVM's")
        String trustStore() default "";

        /** @return trust store password (property .trustStorePassword) */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Trust store password")
        String _trustStorePassword() default "";

        /** @return key store with the client certificate */
        @AttributeDefinition(description = "Key store (PKCS12 or JKS) with the client certificate and key; empty for none")
        String keyStore() default "";

        /** @return key store password (property .keyStorePassword) */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Key store password")
        String _keyStorePassword() default "";

        /** @return no longer used (a shared token is not an identity); kept so that old files still load, with a warning */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "No longer used: commands carry an API token or an HMAC (docs/mqtt.md)")
        String _commandToken() default "";

        /** @return the command key for HMAC-signed commands (property .commandHmacKey), hex */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Key of HMAC-SHA256-signed commands, hexadecimal, at least 32 random "
                + "bytes (64 hex digits); empty: only API tokens are accepted")
        String _commandHmacKey() default "";

        /** @return what an HMAC-signed command may do */
        @AttributeDefinition(description = "Role of HMAC-signed commands: viewer (ping, status, get-config) or engineer (also set-config, reconnect)")
        String commandHmacRole() default "engineer";

        /** @return how far a command's timestamp may be from the gateway's clock, s */
        @AttributeDefinition(description = "A command older (or further in the future) than this many seconds is refused (5-86400)")
        int commandMaxAgeSeconds() default 300;

        /** @return largest command payload, bytes */
        @AttributeDefinition(description = "Largest command payload in bytes, checked before it is parsed (256-1048576)")
        int commandMaxBytes() default 64 * 1024;

        /** @return whether commands may come over plain TCP or with a short key */
        @AttributeDefinition(description = "Accept commands over tcp:// without TLS and HMAC keys under 32 bytes: for tests only, logged loudly")
        boolean allowInsecureCommands() default false;

        /** @return pid/attribute pairs set-config may change */
        @AttributeDefinition(description = "pid/attribute pairs set-config may change (get-config reads those PIDs); never the uplink, web, "
                + "identity, audit, scoring, console or FileInstall PIDs, private (dotted) keys or paths")
        String[] commandConfigAttributes() default {"io.millwright.journal/commitIntervalMs", "io.millwright.journal/budgetMb",
            "io.millwright.ingest/maxFutureSkewMs", "io.millwright.simulator.plant~demo/timeAcceleration",
            "io.millwright.simulator.plant~demo/scalarIntervalMs"};
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MqttUplinkComponent.class);
    private final MqttUplink uplink;
    private final List<Device> devices = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile org.osgi.service.metatype.MetaTypeService metaType;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile IdentityService identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.write.api.WriteGuard writeGuard;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.optimizer.api.Optimizers optimizers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.deploy.api.Deployments deployments;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail audit;

    /**
     * @param journal the journal to forward
     * @param config the configuration
     */
    @Activate
    public MqttUplinkComponent(BundleContext context, @Reference Journal journal, Config config) {
        UplinkSettings settings = UplinkSettings.from(config);
        CommandSettings commands = CommandSettings.from(config, settings.tls());
        if (!config._commandToken().isEmpty()) {
            LOG.warn("uplink {}: .commandToken is no longer used and was ignored: a command carries an API token of the gateway or an "
                    + "HMAC under .commandHmacKey (docs/mqtt.md)", settings.gatewayId());
        }
        String data = context.getProperty("millwright.data.dir");
        Path ids = Path.of(data == null ? "data" : data).toAbsolutePath().resolve("uplink").resolve(settings.gatewayId() + ".command-ids");
        ReplayGuard replays = null;
        String state;
        if (commands.enabled()) {
            try {
                replays = new ReplayGuard(ids, commands.maxAge(), Instant.now());
            } catch (java.io.UncheckedIOException e) {
                commands = new CommandSettings("the ids of recent commands cannot be kept (" + e.getMessage() + ")", commands.hmacKey(),
                        commands.hmacRole(), commands.maxAge(), commands.maxBytes(), commands.allowInsecure(),
                        commands.configAttributes());
            }
        }
        if (!commands.enabled()) {
            state = "off: " + commands.disabledReason();
            LOG.warn("uplink {}: commands are off: {}", settings.gatewayId(), commands.disabledReason());
        } else {
            state = "on";
            if (commands.allowInsecure()) {
                LOG.warn("uplink {}: INSECURE: allowInsecureCommands=true accepts commands {}; never in production", settings.gatewayId(),
                        settings.tls() ? "with a short key" : "over plain TCP (" + settings.brokerUri() + ")");
            }
        }
        MetaTypeConfigCheck check = new MetaTypeConfigCheck(context, () -> metaType);
        CommandSettings accepted = commands;
        ReplayGuard guard = replays;
        this.uplink = new MqttUplink(settings, journal, () -> List.copyOf(devices), Clock.systemUTC(),
                status -> accepted.enabled() ? new CommandHandler(settings.gatewayId(), accepted, guard, () -> identity, () -> audit,
                        () -> configurationAdmin, status, Clock.systemUTC(), check, () -> writeGuard, () -> optimizers, () -> deployments) : null, state,
                // MQTT 5 Maximum Packet Size: Paho 1.2.5 applies it to what it sends as well (ClientState swaps incoming and
                // outgoing), so it cannot be below a telemetry message; commands between the two are refused unread
                Math.max(accepted.maxBytes() + 1024L, settings.maxMessageBytes() + 16 * 1024L));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device) {
        devices.add(device);
    }

    void unbindDevice(Device device) {
        devices.remove(device);
    }

    @Deactivate
    void deactivate() {
        uplink.close();
    }

    @Override
    public String name() {
        return uplink.name();
    }

    @Override
    public UplinkStatus status() {
        return uplink.status();
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> publish(String topicSuffix, byte[] payload, boolean retained) {
        return uplink.publish(topicSuffix, payload, retained);
    }
}
