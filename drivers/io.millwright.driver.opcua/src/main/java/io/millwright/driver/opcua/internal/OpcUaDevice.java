package io.millwright.driver.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.api.Clocks;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.driver.api.DeviceState;
import io.millwright.ingest.api.SampleSink;
import io.millwright.driver.api.WriteResult;
import io.millwright.driver.support.LaneDevice;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.osgi.service.metatype.annotations.AttributeType;
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
public final class OpcUaDevice extends LaneDevice<OpcUaChannel> {

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
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the user (stored as the private property .password); "
                + "never sent over securityPolicy None")
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

    private final String endpointUrl;
    private final SecurityPolicy policy;
    private final MessageSecurityMode securityMode;
    private final String username;
    private final String password;
    private final boolean polling;
    private final Config config;
    private final int timeoutMs;
    private final List<OpcUaChannel> channels;
    private final ClientPki pki;
    private final SampleSink sink;
    private final Map<io.millwright.api.ChannelId, Object> lastRaw = new ConcurrentHashMap<>();
    private volatile String lost; // why the connection must be rebuilt; set from Milo's threads
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
        this(context, sink, OpcUaSettings.of(c, pkiDirectory), clock);
    }

    private OpcUaDevice(BundleContext context, SampleSink sink, OpcUaSettings s, Clock clock) {
        super("opcua", s.deviceId(), s.channels(), OpcUaChannel::descriptor, s.config().reconnectMinMs(), s.config().reconnectMaxMs(), clock);
        this.endpointUrl = s.endpointUrl();
        this.policy = s.policy();
        this.securityMode = s.securityMode();
        this.username = s.username();
        this.password = s.password();
        this.polling = s.polling();
        this.channels = s.channels();
        this.pki = s.pki();
        this.config = s.config();
        this.timeoutMs = config.timeoutMs();
        this.sink = sink;
        LOG.info("opcua device {}: {} ({}/{}, {}), {} channels by {}", s.deviceId(), endpointUrl, policy.name(), securityMode,
                username.isEmpty() ? "anonymous" : "user " + username, channels.size(), polling ? "polling" : "subscription");
        start(context, polling ? config.pollIntervalMs() : Math.min(250, config.publishingIntervalMs()), false, this::tick);
    }

    private void tick() {
        String why = lost;
        if (client != null && why != null) {
            offline("connection-lost", why);
            return;
        }
        if (client == null) {
            if (!reconnectDue()) {
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
        if (isCurrent(gen)) {
            lost = why;
        }
    }

    private boolean connect() {
        long gen = newGeneration();
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
            answered(refused == 0 ? null : "items-refused", refused + " monitored items refused by the server");
            LOG.debug("opcua device {}: connected to {}", id(), endpoint.getEndpointUrl());
            return true;
        } catch (Exception e) {
            if (client == null && c != null) {
                close(c);
            }
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
                long now = Clocks.micros(clock());
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
                if (!out.isEmpty() && isCurrent(gen)) {
                    lane().later(0, () -> meter().submit(sink, new SampleBatch(id(), out)));
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
            LOG.debug("opcua device {}: some monitored items failed: {}", id(), partial.getMessage());
        }
        long now = Clocks.micros(clock());
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
            meter().submit(sink, new SampleBatch(id(), refused));
        }
        return refused.size();
    }

    private void poll() {
        List<NodeId> nodes = channels.stream().map(OpcUaChannel::node).toList();
        try {
            List<DataValue> values = client.readValues(0.0, TimestampsToReturn.Both, nodes);
            long now = Clocks.micros(clock());
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
            answered(bad == 0 ? null : "bad-values", bad + " channels read with a bad or uncertain status");
            meter().submit(sink, new SampleBatch(id(), out));
        } catch (UaException e) {
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

    @Override
    protected void closeConnection() {
        teardown();
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
            LOG.debug("opcua device {}: disconnect: {}", id(), e.toString());
        }
    }

    @Override
    protected String addressOf(OpcUaChannel c) {
        return c.node().toParseableString();
    }

    @Override
    protected WriteResult writeOnLane(OpcUaChannel c, Value value, String what) {
        if (client == null) {
            return notConnected(what);
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
        stop(this::teardown, timeoutMs + 1000L);
    }
}
