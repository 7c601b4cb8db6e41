package io.millwright.driver.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.api.ChannelId;
import io.millwright.api.Clocks;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceCounters;
import io.millwright.driver.api.DeviceState;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.driver.api.SampleSink;
import io.millwright.driver.api.WriteResult;
import io.millwright.driver.support.Backoff;
import io.millwright.driver.support.ConfigChecks;
import io.millwright.driver.support.DeviceLane;
import io.millwright.driver.support.DeviceMeter;
import io.millwright.driver.support.DeviceService;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA server (factory PID {@value #PID}), read through Eclipse Milo. The lane
 * {@code opcua-io-<deviceId>} owns the connection: discovery and endpoint selection, the secure
 * channel and session (certificate from {@link ClientPki}), the subscription or the poll, writes,
 * and supervision — when the session is lost, the subscription fails to transfer or its keep-alives
 * stop, the client is torn down and rebuilt with capped exponential backoff and jitter, monitored
 * items and all. Every call has a timeout.
 */
@Component(configurationPid = OpcUaDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = OpcUaDevice.Config.class, factory = true)
public final class OpcUaDevice implements Device {

    static final String PID = "io.millwright.driver.opcua";
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaDevice.class);

    /** Configuration of one OPC UA server connection. */
    @ObjectClassDefinition(name = "Millwright OPC UA device")
    public @interface Config {
        /** @return device id */
        @AttributeDefinition(description = "Device id, unique in the gateway")
        String deviceId();

        /** @return endpoint URL */
        @AttributeDefinition(description = "Discovery endpoint URL, e.g. opc.tcp://10.0.0.5:4840/plc")
        String endpointUrl();

        /** @return security policy */
        @AttributeDefinition(description = "Security policy: None or Basic256Sha256")
        String securityPolicy() default "Basic256Sha256";

        /** @return security mode */
        @AttributeDefinition(description = "Message security mode: None, Sign or SignAndEncrypt")
        String securityMode() default "SignAndEncrypt";

        /** @return user name */
        @AttributeDefinition(description = "User name; empty for anonymous")
        String username() default "";

        /** @return password (private property .password) */
        @AttributeDefinition(description = "Password of the user (stored as the private property .password)")
        String _password() default "";

        /** @return subscription or polling */
        @AttributeDefinition(description = "subscription (monitored items) or polling (Read service)")
        String mode() default "subscription";

        /** @return publishing interval */
        @AttributeDefinition(description = "Subscription publishing interval in ms (10-3600000)")
        int publishingIntervalMs() default 1000;

        /** @return default sampling interval */
        @AttributeDefinition(description = "Default sampling interval of monitored items in ms (0 = as fast as the server can)")
        int samplingIntervalMs() default 1000;

        /** @return default queue size */
        @AttributeDefinition(description = "Default queue size of monitored items (1-10000)")
        int queueSize() default 10;

        /** @return poll interval */
        @AttributeDefinition(description = "Poll interval in ms in polling mode (10-3600000)")
        int pollIntervalMs() default 1000;

        /** @return timeout */
        @AttributeDefinition(description = "Timeout of connect, of every request and of keep-alives in ms (100-120000)")
        int timeoutMs() default 5000;

        /** @return first reconnect delay */
        @AttributeDefinition(description = "First reconnect delay in ms; doubles per failure, with jitter, up to reconnectMaxMs")
        int reconnectMinMs() default 1000;

        /** @return longest reconnect delay */
        @AttributeDefinition(description = "Longest reconnect delay in ms")
        int reconnectMaxMs() default 30000;

        /** @return PKI folder */
        @AttributeDefinition(description = "PKI folder (client certificate, trusted and rejected server certificates); empty for <millwright.data.dir>/opcua/pki")
        String pkiDirectory() default "";

        /** @return channels */
        @AttributeDefinition(description = "Channels: 'asset/tag nodeId [type=double|long|bool|string] [sampling=ms] [queue=n] [deadband=x] [unit=] [min=] [max=] [writable]'")
        String[] channels();
    }

    private final String deviceId;
    private final String endpointUrl;
    private final SecurityPolicy policy;
    private final MessageSecurityMode securityMode;
    private final String username;
    private final String password;
    private final boolean polling;
    private final Config config;
    private final int timeoutMs;
    private final List<OpcUaChannel> channels;
    private final Map<ChannelId, OpcUaChannel> byId;
    private final List<ChannelDescriptor> descriptors;
    private final ClientPki pki;
    private final SampleSink sink;
    private final Clock clock;
    private final DeviceLane lane;
    private final DeviceMeter meter = new DeviceMeter();
    private final Backoff backoff;
    private final DeviceService service;
    private final Map<ChannelId, Object> lastRaw = new ConcurrentHashMap<>();
    private volatile DeviceStatus status;
    private volatile String lost; // why the connection must be rebuilt; set from Milo's threads
    /** Incremented at every connect: a callback carries the generation of its client and is ignored once it is old. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /** When the current connect attempt started (lane only): tells a refusal by our trust list from one by the server. */
    private long attemptStarted;

    // lane state
    private OpcUaClient client;
    private OpcUaSubscription subscription;

    /**
     * @param context bundle context (data folder, service registration)
     * @param sink where samples go
     * @param config the configuration
     * @throws IllegalArgumentException naming the PID, device, setting or channel, and the value
     */
    @Activate
    public OpcUaDevice(BundleContext context, @Reference SampleSink sink, Config config) {
        this(context, sink, config, defaultPki(context, config), Clock.systemUTC());
    }

    private static Path defaultPki(BundleContext context, Config c) {
        if (c.pkiDirectory() != null && !c.pkiDirectory().isBlank()) {
            return Path.of(c.pkiDirectory());
        }
        String data = context == null ? null : context.getProperty("millwright.data.dir");
        return Path.of(data == null || data.isBlank() ? "data" : data, "opcua", "pki");
    }

    OpcUaDevice(BundleContext context, SampleSink sink, Config c, Path pkiDirectory, Clock clock) {
        try {
            this.deviceId = ConfigChecks.deviceId(c.deviceId());
            this.endpointUrl = ConfigChecks.required("endpointUrl", c.endpointUrl());
            if (!endpointUrl.startsWith("opc.tcp://") || EndpointUtil.getHost(endpointUrl) == null) {
                throw new IllegalArgumentException("endpointUrl=" + endpointUrl + ": must be opc.tcp://host:port[/path]");
            }
            this.policy = switch (ConfigChecks.oneOf("securityPolicy", c.securityPolicy(), "None", "Basic256Sha256")) {
                case "None" -> SecurityPolicy.None;
                default -> SecurityPolicy.Basic256Sha256;
            };
            this.securityMode = MessageSecurityMode.valueOf(ConfigChecks.oneOf("securityMode", c.securityMode(), "None", "Sign", "SignAndEncrypt"));
            if ((policy == SecurityPolicy.None) != (securityMode == MessageSecurityMode.None)) {
                throw new IllegalArgumentException("securityPolicy=" + c.securityPolicy() + " with securityMode=" + c.securityMode()
                        + ": None goes with None, Basic256Sha256 with Sign or SignAndEncrypt");
            }
            this.username = c.username() == null ? "" : c.username().trim();
            this.password = c._password() == null ? "" : c._password();
            if (!username.isEmpty() && password.isEmpty()) {
                throw new IllegalArgumentException("username=" + username + " needs the private property .password");
            }
            this.polling = ConfigChecks.oneOf("mode", c.mode(), "subscription", "polling").equals("polling");
            ConfigChecks.range("publishingIntervalMs", c.publishingIntervalMs(), 10, 3_600_000);
            ConfigChecks.range("samplingIntervalMs", c.samplingIntervalMs(), 0, 3_600_000);
            ConfigChecks.range("queueSize", c.queueSize(), 1, 10_000);
            ConfigChecks.range("pollIntervalMs", c.pollIntervalMs(), 10, 3_600_000);
            ConfigChecks.range("timeoutMs", c.timeoutMs(), 100, 120_000);
            ConfigChecks.range("reconnectMinMs", c.reconnectMinMs(), 10, 600_000);
            ConfigChecks.range("reconnectMaxMs", c.reconnectMaxMs(), c.reconnectMinMs(), 3_600_000);
            this.channels = OpcUaChannel.parseAll(c.channels());
            try {
                this.pki = ClientPki.open(pkiDirectory);
            } catch (Exception e) {
                throw new IllegalArgumentException("PKI folder " + pkiDirectory + " unusable: " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + " of device '" + c.deviceId() + "': " + e.getMessage(), e);
        }
        this.config = c;
        this.timeoutMs = c.timeoutMs();
        this.byId = channels.stream().collect(Collectors.toMap(OpcUaChannel::id, Function.identity()));
        this.descriptors = channels.stream().map(OpcUaChannel::descriptor).toList();
        this.sink = sink;
        this.clock = clock;
        this.backoff = new Backoff(c.reconnectMinMs(), c.reconnectMaxMs());
        this.status = DeviceStatus.of(DeviceState.STARTING, clock.instant());
        this.lane = new DeviceLane(driver(), deviceId, e -> {
            meter.error();
            teardown();
            offline("lane-task-failed", "task failed: " + e);
        });
        this.service = DeviceService.register(context, this);
        lane.everyAfter(polling ? c.pollIntervalMs() : Math.min(250, c.publishingIntervalMs()), this::tick);
        LOG.info("opcua device {}: {} ({}/{}, {}), {} channels by {}", deviceId, endpointUrl, policy.name(), securityMode,
                username.isEmpty() ? "anonymous" : "user " + username, channels.size(), polling ? "polling" : "subscription");
    }

    private void tick() {
        String why = lost;
        if (client != null && why != null) {
            meter.error();
            teardown();
            offline("connection-lost", why);
            return;
        }
        if (client == null) {
            if (!backoff.due()) {
                return;
            }
            if (!connect()) {
                return;
            }
        }
        if (polling) {
            poll();
        }
    }

    /**
     * Records why the connection of generation {@code gen} is lost, unless a newer connection has replaced it since: a
     * late callback of an old Milo client must never tear down the new one.
     */
    private void lost(long gen, String why) {
        if (gen == generation.get()) {
            lost = why;
        }
    }

    private boolean connect() {
        long gen = generation.incrementAndGet();
        lost = null;
        attemptStarted = System.nanoTime();
        OpcUaClient c = null;
        try {
            List<EndpointDescription> offered = DiscoveryClient.getEndpoints(endpointUrl,
                    t -> t.setConnectTimeout(uint(timeoutMs))).get(timeoutMs, TimeUnit.MILLISECONDS);
            EndpointDescription endpoint = offered.stream()
                    .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == securityMode).findFirst()
                    .orElseThrow(() -> new UaException(StatusCodes.Bad_SecurityPolicyRejected, "the server offers no endpoint with " + policy.name()
                            + "/" + securityMode + "; it offers " + offered.stream().map(e -> SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri())
                                    .map(SecurityPolicy::name).orElse(e.getSecurityPolicyUri()) + "/" + e.getSecurityMode()).distinct().toList()));
            endpoint = EndpointUtil.updateUrl(endpoint, EndpointUtil.getHost(endpointUrl), EndpointUtil.getPort(endpointUrl));
            IdentityProvider identity = username.isEmpty() ? new AnonymousProvider() : new UsernameProvider(username, password);
            OpcUaClientConfig cfg = OpcUaClientConfig.builder()
                    .setApplicationName(LocalizedText.english("Millwright gateway"))
                    .setApplicationUri(pki.applicationUri)
                    .setProductUri("urn:millwright")
                    .setKeyPair(pki.keyPair)
                    .setCertificate(pki.certificate)
                    .setCertificateChain(new X509Certificate[] {pki.certificate})
                    .setCertificateValidator(pki.validator)
                    .setEndpoint(endpoint)
                    .setIdentityProvider(identity)
                    .setRequestTimeout(uint(timeoutMs))
                    .setKeepAliveInterval(uint(Math.max(100, timeoutMs / 2)))
                    .setKeepAliveTimeout(uint(timeoutMs))
                    .setKeepAliveFailuresAllowed(uint(1))
                    .build();
            c = OpcUaClient.create(cfg, t -> t.setConnectTimeout(uint(timeoutMs)));
            c.addSessionActivityListener(new SessionActivityListener() {
                @Override
                public void onSessionInactive(UaSession session) {
                    lost(gen, "session to " + endpointUrl + " lost");
                }
            });
            c.connectAsync().get(timeoutMs * 2L, TimeUnit.MILLISECONDS);
            client = c;
            int refused = polling ? 0 : subscribe(gen);
            backoff.succeeded();
            status = refused == 0 ? DeviceStatus.of(DeviceState.ONLINE, clock.instant())
                    : new DeviceStatus(DeviceState.DEGRADED, "items-refused", refused + " monitored items refused by the server", clock.instant());
            LOG.info("opcua device {}: {} ({})", deviceId, status.state(), endpoint.getEndpointUrl());
            return true;
        } catch (Exception e) {
            meter.error();
            if (client == null && c != null) {
                close(c);
            }
            teardown();
            offline("connect-failed", "cannot connect to " + endpointUrl + ": " + reason(e));
            return false;
        }
    }

    /** @return how many monitored items the server refused (each gets a BAD sample saying why) */
    private int subscribe(long gen) throws UaException {
        OpcUaSubscription s = new OpcUaSubscription(client, (double) config.publishingIntervalMs());
        s.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onDataReceived(OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
                long now = Clocks.micros(clock);
                List<Sample> out = new ArrayList<>(values.size());
                for (int i = 0; i < items.size(); i++) {
                    OpcUaChannel ch = (OpcUaChannel) items.get(i).getUserObject().orElse(null);
                    if (ch != null) {
                        DataValue dv = values.get(i);
                        if (dv.getValue() != null && dv.getValue().getValue() != null) {
                            lastRaw.put(ch.id(), dv.getValue().getValue());
                        }
                        out.add(OpcUaValues.sample(ch, dv, now));
                    }
                }
                if (!out.isEmpty() && gen == generation.get()) {
                    lane.later(0, () -> meter.submit(sink, new SampleBatch(deviceId, out)));
                }
            }

            @Override
            public void onTransferFailed(OpcUaSubscription sub, StatusCode code) {
                lost(gen, "subscription could not be transferred after a reconnect (" + OpcUaValues.name(code) + ")");
            }

            @Override
            public void onWatchdogTimerElapsed(OpcUaSubscription sub) {
                lost(gen, "no publish response or keep-alive from " + endpointUrl + " in time");
            }

            @Override
            public void onStatusChanged(OpcUaSubscription sub, StatusCode code) {
                if (code.isBad()) {
                    lost(gen, "subscription closed by the server (" + OpcUaValues.name(code) + ")");
                }
            }
        });
        for (OpcUaChannel ch : channels) {
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(ch.node());
            item.setSamplingInterval(ch.samplingMs() >= 0 ? ch.samplingMs() : config.samplingIntervalMs());
            item.setQueueSize(uint(ch.queueSize() > 0 ? ch.queueSize() : config.queueSize()));
            item.setDiscardOldest(true);
            if (ch.deadband() > 0) {
                item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue, uint(DeadbandType.Absolute.getValue()), ch.deadband()));
            }
            item.setUserObject(ch);
            s.addMonitoredItem(item);
        }
        s.create();
        subscription = s;
        try {
            s.synchronizeMonitoredItems();
        } catch (UaException partial) {
            LOG.debug("opcua device {}: some monitored items failed: {}", deviceId, partial.getMessage());
        }
        long now = Clocks.micros(clock);
        List<Sample> refused = new ArrayList<>();
        for (OpcUaMonitoredItem item : s.getMonitoredItems()) {
            StatusCode result = item.getCreateResult().orElse(StatusCode.BAD);
            if (!result.isGood()) {
                OpcUaChannel ch = (OpcUaChannel) item.getUserObject().orElseThrow();
                refused.add(Sample.of(ch.id(), now, OpcUaValues.placeholder(ch.type()),
                        io.millwright.api.Quality.bad("OPC UA monitored item for " + ch.node().toParseableString() + " refused: "
                                + OpcUaValues.name(result))));
            }
        }
        if (!refused.isEmpty()) {
            meter.submit(sink, new SampleBatch(deviceId, refused));
        }
        return refused.size();
    }

    private void poll() {
        List<NodeId> nodes = channels.stream().map(OpcUaChannel::node).toList();
        try {
            List<DataValue> values = client.readValues(0.0, TimestampsToReturn.Both, nodes);
            long now = Clocks.micros(clock);
            List<Sample> out = new ArrayList<>(values.size());
            int bad = 0;
            for (int i = 0; i < values.size(); i++) {
                DataValue dv = values.get(i);
                if (dv.getValue() != null && dv.getValue().getValue() != null) {
                    lastRaw.put(channels.get(i).id(), dv.getValue().getValue());
                }
                Sample s = OpcUaValues.sample(channels.get(i), dv, now);
                bad += s.quality().isGood() ? 0 : 1;
                out.add(s);
            }
            DeviceState state = bad == 0 ? DeviceState.ONLINE : DeviceState.DEGRADED;
            if (status.state() != state) {
                status = bad == 0 ? DeviceStatus.of(state, clock.instant())
                        : new DeviceStatus(state, "bad-values", bad + " channels read with a bad or uncertain status", clock.instant());
            }
            meter.submit(sink, new SampleBatch(deviceId, out));
        } catch (UaException e) {
            meter.error();
            teardown();
            offline("read-failed", "read from " + endpointUrl + " failed: " + reason(e));
        }
    }

    private String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return "no answer within " + timeoutMs + " ms";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UaException) {
                t = c; // Milo wraps the status in transport exceptions (e.g. Netty's DecoderException)
                break;
            }
        }
        if (t instanceof UaException ua) {
            long code = ua.getStatusCode().getValue();
            String name = OpcUaValues.name(ua.getStatusCode());
            if (code == StatusCodes.Bad_SecurityChecksFailed || code == StatusCodes.Bad_CertificateUntrusted
                    || code == StatusCodes.Bad_CertificateChainIncomplete) {
                if (pki.refusedServerSince(attemptStarted)) {
                    return name + ": the certificate of " + endpointUrl + " is not trusted: it is not in this gateway's trust store "
                            + pki.directory.resolve("trusted").resolve("certs") + "; it was saved to " + pki.directory.resolve("rejected")
                            + " — move it to " + pki.directory.resolve("trusted").resolve("certs") + " to trust this server";
                }
                return name + ": " + endpointUrl + " refused this gateway's certificate " + pki.directory.resolve("own").resolve("client.der")
                        + " — add it to the server's trusted certificates (the gateway trusts the server)";
            }
            if (code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenRejected
                    || code == StatusCodes.Bad_IdentityTokenInvalid) {
                return name + ": the server refused " + (username.isEmpty() ? "anonymous access" : "user '" + username + "' (wrong user name or password?)");
            }
            String msg = ua.getMessage();
            return msg == null || msg.isBlank() || msg.equals(name) ? name : name + ": " + msg;
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private void offline(String detail, String message) {
        long delay = backoff.failed();
        if (status.state() != DeviceState.OFFLINE || !status.message().equals(message)) {
            if (status.state() != DeviceState.OFFLINE) {
                LOG.warn("opcua device {}: OFFLINE: {} (retry in {} ms)", deviceId, message, delay);
            }
            status = new DeviceStatus(DeviceState.OFFLINE, detail, message, clock.instant());
        }
    }

    private void teardown() {
        OpcUaClient c = client;
        client = null;
        subscription = null;
        if (c != null) {
            close(c);
        }
    }

    private void close(OpcUaClient c) {
        try {
            c.disconnectAsync().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("opcua device {}: disconnect: {}", deviceId, e.toString());
        }
    }

    @Override
    public String id() {
        return deviceId;
    }

    @Override
    public String driver() {
        return "opcua";
    }

    @Override
    public DeviceStatus status() {
        return status;
    }

    @Override
    public List<ChannelDescriptor> channels() {
        return descriptors;
    }

    @Override
    public DeviceCounters counters() {
        return meter.snapshot();
    }

    @Override
    public CompletionStage<WriteResult> write(ChannelId channel, Value value) {
        OpcUaChannel c = byId.get(channel);
        if (c == null || !c.writable()) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    WriteResult.refused("device " + deviceId + ": channel " + channel + " is not writable"));
        }
        return lane.submit(() -> writeOnLane(c, value), e -> e instanceof RejectedExecutionException
                ? WriteResult.refused("device " + deviceId + " is stopped")
                : WriteResult.refused("device " + deviceId + ": write of " + channel + " failed: " + e));
    }

    private WriteResult writeOnLane(OpcUaChannel c, Value value) {
        String what = "device " + deviceId + ": " + c.id() + " = " + (value instanceof StringValue s ? s.value() : value.asDouble());
        if (client == null) {
            return WriteResult.refused(what + " refused: device " + status.state() + " (" + status.message() + ")");
        }
        boolean numeric = c.type() == ValueType.DOUBLE || c.type() == ValueType.LONG;
        if (numeric && (value.type() != ValueType.DOUBLE && value.type() != ValueType.LONG || !c.descriptor().inRange(value.asDouble()))) {
            return WriteResult.refused(what + " refused: a number within [" + c.min() + ", " + c.max() + "] is required");
        }
        if (!numeric && value.type() != c.type()) {
            return WriteResult.refused(what + " refused: the channel takes " + c.type() + ", not " + value.type());
        }
        try {
            StatusCode result = client.writeValues(List.of(c.node()), List.of(DataValue.valueOnly(OpcUaValues.toVariant(value, lastRaw.get(c.id())))))
                    .get(0);
            return result.isGood() ? WriteResult.accepted(what) : WriteResult.refused(what + " refused by the server: " + OpcUaValues.name(result));
        } catch (UaException e) {
            return WriteResult.refused(what + " failed: " + reason(e));
        }
    }

    /** Stops the lane, closes the session and withdraws the service. Idempotent. */
    @Deactivate
    public void deactivate() {
        service.unregister();
        lane.stop(this::teardown, timeoutMs + 1000L);
        status = DeviceStatus.of(DeviceState.STOPPED, clock.instant());
    }
}
