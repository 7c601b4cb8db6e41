package io.millwright.driver.plc4x.internal;

import io.millwright.api.Clocks;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.ingest.api.SampleSink;
import io.millwright.driver.api.WriteResult;
import io.millwright.driver.support.ConfigChecks;
import io.millwright.driver.support.LaneDevice;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.api.exceptions.PlcNotImplementedException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;
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
 * A device reached through any PLC4X protocol driver (factory PID {@value #PID}): the connection string names the
 * protocol ({@code modbus-tcp://…}, {@code s7://…}, {@code ads://…}, {@code eip://…}) and the driver is the matching
 * {@code PlcDriver} OSGi service, so installing a PLC4X driver bundle adds a protocol.
 *
 * <p>Supervised, because PLC4X can block and leak on reconnect: connect, read and write each run under a hard
 * timeout ({@link CallGuard}); any failure tears the connection down (closed beside the lane, on a bounded closer)
 * and it is rebuilt with capped exponential backoff and jitter. When the driver bundle goes away (stopped, updated) the
 * connection is rebuilt on the new one. Each channel's address is checked by the protocol driver the first time
 * it is found: a bad address puts the device in {@code CONFIG_ERROR}, naming the channel.
 */
@Component(configurationPid = Plc4xDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = Plc4xDevice.Config.class, factory = true)
public final class Plc4xDevice extends LaneDevice<Plc4xChannel> {

    static final String PID = "io.millwright.driver.plc4x";
    private static final Logger LOG = LoggerFactory.getLogger(Plc4xDevice.class);
    private static final Pattern PROTOCOL = Pattern.compile("^([a-z0-9\\-]+)(:[a-z0-9]+)?://(.+)$");
    private static final Set<PlcValueType> WHOLE = EnumSet.of(PlcValueType.BYTE, PlcValueType.WORD, PlcValueType.DWORD,
            PlcValueType.LWORD, PlcValueType.USINT, PlcValueType.UINT, PlcValueType.UDINT, PlcValueType.ULINT, PlcValueType.SINT,
            PlcValueType.INT, PlcValueType.DINT, PlcValueType.LINT);

    /** Configuration of one PLC4X device. */
    @ObjectClassDefinition(name = "Millwright PLC4X device")
    public @interface Config {
        /** @return device id */
        @AttributeDefinition(description = "Device id, unique in the gateway")
        String deviceId();

        /** @return PLC4X connection string */
        @AttributeDefinition(description = "PLC4X connection string, e.g. modbus-tcp://10.0.0.7:502?default-unit-identifier=1 or "
                + "s7://10.0.0.8?remote-rack=0&remote-slot=1")
        String connectionString();

        /** @return poll interval, ms */
        @AttributeDefinition(description = "Poll interval in ms (10-3600000), the pause between the end of one poll and the start of the next")
        int pollIntervalMs() default 1000;

        /** @return hard timeout per call, ms */
        @AttributeDefinition(description = "Hard limit in ms (100-60000) on connect, each read, each write and close")
        int timeoutMs() default 3000;

        /** @return first reconnect delay, ms */
        @AttributeDefinition(description = "First reconnect delay in ms; doubles per failure, with jitter, up to reconnectMaxMs")
        int reconnectMinMs() default 1000;

        /** @return longest reconnect delay, ms */
        @AttributeDefinition(description = "Longest reconnect delay in ms")
        int reconnectMaxMs() default 60000;

        /** @return channels */
        @AttributeDefinition(description = "Channels: 'asset/tag address [type=double|long|bool] [scale=] [offset=] [unit=] [min=] [max=] "
                + "[writable]', the address in the PLC4X driver's syntax, e.g. holding-register:1:UINT")
        String[] channels();
    }

    private final String connectionString;
    private final String protocol;
    private final String endpoint;
    private final int timeoutMs;
    private final List<Plc4xChannel> channels;
    private final PlcDrivers drivers;
    private final SampleSink sink;
    private final CallGuard guard;

    // lane state
    private PlcDrivers.Lease lease;
    private PlcConnection connection;
    private Plc4xCleanup cleanup;
    private PlcReadRequest readRequest;
    private boolean configError;

    /**
     * @param context to find the PLC4X drivers and register the device service
     * @param sink where samples go
     * @param config the device configuration
     * @throws IllegalArgumentException naming the PID, the device, the attribute or channel and the value
     */
    @Activate
    public Plc4xDevice(BundleContext context, @Reference SampleSink sink, Config config) {
        this(context, new OsgiPlcDrivers(context), sink, config, Clock.systemUTC());
    }

    Plc4xDevice(BundleContext context, PlcDrivers drivers, SampleSink sink, Config c, Clock clock) {
        super("plc4x", c.deviceId(), checked(c), Plc4xChannel::descriptor, c.reconnectMinMs(), c.reconnectMaxMs(), clock);
        Matcher m = PROTOCOL.matcher(c.connectionString().trim());
        m.matches(); // checked above
        this.channels = configuredChannels();
        this.connectionString = c.connectionString().trim();
        this.protocol = m.group(1);
        String address = m.group(3);
        this.endpoint = protocol + "://" + (address.contains("?") ? address.substring(0, address.indexOf('?')) : address);
        this.timeoutMs = c.timeoutMs();
        this.drivers = drivers;
        this.sink = sink;
        this.guard = new CallGuard(c.deviceId());
        LOG.info("plc4x device {}: {}, {} channels", c.deviceId(), endpoint, channels.size());
        start(context, c.pollIntervalMs(), false, this::poll);
    }

    /** @return the channels, once every setting is checked (messages name the PID, device, attribute and value) */
    private static List<Plc4xChannel> checked(Config c) {
        Matcher m;
        try {
            ConfigChecks.deviceId(c.deviceId());
            m = PROTOCOL.matcher(ConfigChecks.required("connectionString", c.connectionString()));
            if (!m.matches()) {
                throw new IllegalArgumentException("connectionString=" + c.connectionString()
                        + ": expected '<protocol>[:<transport>]://<address>[?options]', e.g. modbus-tcp://10.0.0.7:502");
            }
            ConfigChecks.range("pollIntervalMs", c.pollIntervalMs(), 10, 3_600_000);
            ConfigChecks.range("timeoutMs", c.timeoutMs(), 100, 60_000);
            ConfigChecks.range("reconnectMinMs", c.reconnectMinMs(), 10, 600_000);
            ConfigChecks.range("reconnectMaxMs", c.reconnectMaxMs(), c.reconnectMinMs(), 3_600_000);
            return Plc4xChannel.parseAll(c.channels());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + " of device '" + c.deviceId() + "': " + e.getMessage(), e);
        }
    }

    private boolean connected() {
        if (configError) {
            return false;
        }
        if (connection != null) {
            if (lease.valid() && connection.isConnected()) {
                return true;
            }
            String why = lease.valid() ? "connection to " + endpoint + " lost"
                    : "the PLC4X driver for " + protocol + " went away (bundle stopped or updated)";
            offline(lease.valid() ? "connection-lost" : "driver-gone", why);
        }
        if (!reconnectDue()) {
            return false;
        }
        lease = drivers.lease(protocol);
        if (lease == null) {
            offline("no-driver", "no PLC4X driver for protocol '" + protocol + "' is installed (installed: "
                    + String.join(", ", drivers.installed()) + ")");
            return false;
        }
        if (!addressesValid(lease.driver())) {
            return false;
        }
        PlcDrivers.Lease l = lease;
        AtomicReference<PlcConnection> opened = new AtomicReference<>();
        try {
            connection = guard.call("connect to " + endpoint, timeoutMs, () -> {
                Thread me = Thread.currentThread();
                ClassLoader before = me.getContextClassLoader();
                me.setContextClassLoader(l.transports());
                try {
                    PlcConnection pc = l.driver().getConnection(connectionString);
                    opened.set(pc);
                    if (!pc.isConnected()) {
                        pc.connect();
                    }
                    return pc;
                } finally {
                    me.setContextClassLoader(before);
                }
            });
        } catch (Exception e) {
            connection = opened.get(); // closed by offline(), so a half-open connection leaks nothing
            offline("connect-failed", "cannot connect to " + endpoint + ": " + message(e));
            return false;
        }
        cleanup = Plc4xCleanup.capture(connection);
        try {
            readRequest = readRequest(connection);
        } catch (IllegalArgumentException e) {
            configError(e.getMessage());
            return false;
        }
        return true;
    }

    /** Each channel's address, checked by the protocol driver; a driver that cannot check (yet) is checked on connect. */
    private boolean addressesValid(PlcDriver driver) {
        for (Plc4xChannel c : channels) {
            try {
                driver.prepareTag(c.address());
            } catch (PlcNotImplementedException | UnsupportedOperationException cannotTell) {
                return true;
            } catch (RuntimeException e) {
                configError("channel " + c.id() + ": address '" + c.address() + "' is not valid for " + protocol + ": " + message(e));
                return false;
            }
        }
        return true;
    }

    private PlcReadRequest readRequest(PlcConnection pc) {
        PlcReadRequest.Builder b = pc.readRequestBuilder();
        for (Plc4xChannel c : channels) {
            try {
                b.addTagAddress(c.tagName(), c.address());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("channel " + c.id() + ": address '" + c.address() + "' is not valid for " + protocol + ": "
                        + message(e), e);
            }
        }
        return b.build();
    }

    private void configError(String message) {
        configError = true;
        configError("bad-address", message);
    }

    private void poll() {
        if (!connected()) {
            return;
        }
        PlcReadResponse response;
        PlcReadRequest request = readRequest;
        try {
            response = guard.call("read from " + endpoint, timeoutMs, () -> request.execute().get());
        } catch (Exception e) {
            offline("io-failed", "read from " + endpoint + " failed: " + message(e));
            return;
        }
        long now = Clocks.micros(clock());
        List<Sample> out = new ArrayList<>(channels.size());
        int bad = 0;
        for (Plc4xChannel c : channels) {
            Sample s = sample(c, response, now);
            if (s.quality().level() != QualityLevel.GOOD) {
                bad++;
            }
            out.add(s);
        }
        answered(bad == 0 ? null : "bad-channels", bad + " channels read with BAD quality");
        meter().submit(sink, new SampleBatch(id(), out));
    }

    private Sample sample(Plc4xChannel c, PlcReadResponse response, long now) {
        try {
            PlcResponseCode code = response.getResponseCode(c.tagName());
            if (code != PlcResponseCode.OK) {
                meter().error();
                return Sample.of(c.id(), now, placeholder(c), Quality.bad("PLC4X " + code + " for " + c.address()));
            }
            PlcValue v = response.getPlcValue(c.tagName());
            if (v == null || v.isNull() || v.isList() || !v.isSimple()) {
                return Sample.of(c.id(), now, placeholder(c), Quality.bad(c.address() + " did not read as one value: " + v));
            }
            return switch (c.type()) {
                case BOOLEAN -> Sample.of(c.id(), now, Value.of(v.isBoolean() ? v.getBoolean() : v.getLong() != 0), Quality.GOOD);
                case LONG -> Sample.of(c.id(), now, Value.of(v.getLong()), Quality.GOOD);
                default -> {
                    double d = v.getDouble() * c.scale() + c.offset();
                    yield Double.isFinite(d) ? Sample.of(c.id(), now, Value.of(d), Quality.GOOD)
                            : Sample.of(c.id(), now, Value.of(Double.NaN), Quality.bad(c.address() + " read " + d + ", not a finite number"));
                }
            };
        } catch (RuntimeException e) {
            return Sample.of(c.id(), now, placeholder(c), Quality.bad(c.address() + " cannot be read as " + c.type() + ": " + message(e)));
        }
    }

    private static Value placeholder(Plc4xChannel c) {
        return switch (c.type()) {
            case BOOLEAN -> Value.of(false);
            case LONG -> Value.of(0L);
            default -> Value.of(Double.NaN);
        };
    }

    @Override
    protected void closeConnection() {
        teardown();
    }

    /** Hands the connection to the closer (see {@link CallGuard}) and gives the driver back. Lane-confined. */
    private void teardown() {
        PlcConnection c = connection;
        Plc4xCleanup after = cleanup;
        connection = null;
        cleanup = null;
        readRequest = null;
        if (c != null) {
            guard.closeLater(endpoint, () -> {
                try {
                    c.close();
                } finally {
                    if (after != null) {
                        after.finish();
                    }
                }
            });
        }
        if (lease != null) {
            lease.release();
            lease = null;
        }
    }

    private static String message(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** @return helper threads abandoned because PLC4X ignored an interrupt (see {@link CallGuard}) */
    int abandonedThreads() {
        return guard.abandoned();
    }

    @Override
    protected String addressOf(Plc4xChannel c) {
        return c.address();
    }

    @Override
    protected WriteResult writeOnLane(Plc4xChannel c, Value value, String what) {
        if (!connected()) {
            return notConnected(what);
        }
        Object raw;
        if (c.type() == ValueType.BOOLEAN) {
            raw = value.asDouble() != 0;
        } else {
            double engineering = value.asDouble();
            double r = (engineering - c.offset()) / c.scale();
            PlcValueType tagType = connection.parseTagAddress(c.address()).map(PlcTag::getPlcValueType).orElse(PlcValueType.NULL);
            if (WHOLE.contains(tagType) || c.type() == ValueType.LONG) {
                if (r != Math.rint(r)) {
                    return WriteResult.refused(what + " refused: " + c.address() + " holds whole numbers, " + r + " is not one");
                }
                raw = (long) r;
            } else {
                raw = r;
            }
        }
        PlcConnection pc = connection;
        try {
            PlcWriteResponse response = guard.call("write to " + endpoint, timeoutMs,
                    () -> pc.writeRequestBuilder().addTagAddress(c.tagName(), c.address(), raw).build().execute().get());
            PlcResponseCode code = response.getResponseCode(c.tagName());
            return code == PlcResponseCode.OK ? WriteResult.accepted(what)
                    : WriteResult.refused(what + " refused by the device: PLC4X " + code + " for " + c.address());
        } catch (IllegalArgumentException | org.apache.plc4x.java.api.exceptions.PlcRuntimeException e) {
            return WriteResult.refused(what + " refused: " + message(e));
        } catch (Exception e) {
            offline("io-failed", "write to " + endpoint + " failed: " + message(e));
            return WriteResult.refused(what + " failed: " + message(e));
        }
    }

    /** Stops the lane, closes the connection and withdraws the service. Idempotent. */
    @Deactivate
    public void deactivate() {
        stop(() -> {
            teardown();
            guard.stop(timeoutMs);
        }, 2L * timeoutMs + 1000L);
    }
}
