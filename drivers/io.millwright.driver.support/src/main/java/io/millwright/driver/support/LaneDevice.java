package io.millwright.driver.support;

import io.millwright.api.ChannelId;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceCounters;
import io.millwright.driver.api.DeviceState;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.driver.api.WriteResult;
import io.millwright.ingest.api.SubmitResult;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device runtime every driver shares: one endpoint's lane, its reconnect backoff, its counters, its status
 * (logged on change only), its service registration, a generation fence for callbacks of old connections, the
 * {@link Device} accessors, and write dispatch (the channel must exist and be writable, the value must fit the
 * channel's type and bounds, then the protocol's own write runs on the lane). A driver supplies what is its own:
 * how to connect, poll and write, and how to close a connection.
 *
 * <p>Lifecycle: the subclass constructor validates its settings, then calls {@link #start} last (registers the
 * service, schedules the lane); its deactivation calls {@link #stop} (withdraws the service, runs the final task on
 * the lane, waits for the lane thread: a new instance never races this one).
 *
 * @param <C> the driver's channel type
 */
public abstract class LaneDevice<C> implements Device {

    private static final Logger LOG = LoggerFactory.getLogger(LaneDevice.class);

    private final String driver;
    private final String deviceId;
    private final List<C> configured;
    private final Map<ChannelId, C> byId;
    private final Map<ChannelId, ChannelDescriptor> declared;
    private final List<ChannelDescriptor> descriptors;
    private final Clock clock;
    private final DeviceMeter meter = new DeviceMeter();
    private final Backoff backoff;
    private final DeviceLane lane;
    private final AtomicLong generation = new AtomicLong();
    private volatile DeviceStatus status;
    private DeviceService service = DeviceService.register(null, null);

    /**
     * @param driver the driver name, e.g. {@code modbus} (thread {@code <driver>-io-<deviceId>})
     * @param deviceId the device id
     * @param channels the configured channels
     * @param descriptor a channel's descriptor
     * @param reconnectMinMs first reconnect delay
     * @param reconnectMaxMs longest reconnect delay
     * @param clock time source
     */
    protected LaneDevice(String driver, String deviceId, List<C> channels, Function<C, ChannelDescriptor> descriptor, long reconnectMinMs,
            long reconnectMaxMs, Clock clock) {
        this.driver = driver;
        this.deviceId = deviceId;
        this.configured = List.copyOf(channels);
        this.byId = channels.stream().collect(Collectors.toUnmodifiableMap(c -> descriptor.apply(c).id(), Function.identity()));
        this.descriptors = channels.stream().map(descriptor).toList();
        this.declared = descriptors.stream().collect(Collectors.toUnmodifiableMap(ChannelDescriptor::id, Function.identity()));
        this.clock = clock;
        this.backoff = new Backoff(reconnectMinMs, reconnectMaxMs);
        this.status = DeviceStatus.of(DeviceState.STARTING, clock.instant());
        this.lane = new DeviceLane(driver, deviceId, this::taskFailed);
    }

    @Override
    public final String address(ChannelId channel) {
        C c = byId.get(channel);
        return c == null ? "" : addressOf(c);
    }

    /**
     * @param channel a configured channel
     * @return where the device reads it, as the driver names it; empty by default
     */
    protected String addressOf(C channel) {
        return "";
    }

    /**
     * Registers the device service (before the first task, so that ingest knows the declared channels of the first
     * batch) and schedules the periodic task on the lane. Called last in the subclass constructor.
     *
     * @param context bundle context, or null outside OSGi
     * @param periodMs the period
     * @param fixedRate true to keep a fixed rate (a simulator), false to pause between the end of one run and the
     *     start of the next (a poll)
     * @param task the periodic task
     */
    protected final void start(BundleContext context, long periodMs, boolean fixedRate, Runnable task) {
        this.service = DeviceService.register(context, this);
        Runnable timed = () -> {
            long t0 = System.nanoTime();
            try {
                task.run();
            } finally {
                meter().pollTook(System.nanoTime() - t0);
            }
        };
        if (fixedRate) {
            lane.atRate(periodMs, timed);
        } else {
            lane.everyAfter(periodMs, timed);
        }
    }

    /**
     * Withdraws the service, runs {@code last} on the lane (close the connection), waits for the lane thread, and
     * reports STOPPED. Idempotent.
     *
     * @param last the final task, may be null
     * @param timeoutMs how long the final task may take
     */
    protected final void stop(Runnable last, long timeoutMs) {
        service.unregister();
        lane.stop(last, timeoutMs);
        status = DeviceStatus.of(DeviceState.STOPPED, clock.instant());
    }

    /**
     * A task of the lane threw (a bug, or a peer answering nonsense): by default the connection is dropped and
     * rebuilt, the device OFFLINE meanwhile. Runs on the lane.
     *
     * @param e what was thrown
     */
    protected void taskFailed(Throwable e) {
        LOG.error("{} device {}: a lane task failed", driver, deviceId, e);
        offline("lane-task-failed", "task failed: " + e);
    }

    /** Closes the current connection, if any; lane only. Called when the device goes OFFLINE. */
    protected abstract void closeConnection();

    /**
     * The protocol's write, on the lane; the channel is writable and the value fits its type and bounds.
     *
     * @param channel the channel
     * @param value the value
     * @param what "device X: channel = value", to begin every message
     * @return the outcome
     */
    protected abstract WriteResult writeOnLane(C channel, Value value, String what);

    // --- status: kept here, logged on change only --------------------------------------------------------------

    /**
     * The endpoint is unreachable: one error is counted (a failed request or connection attempt), the connection is
     * closed, the next attempt waits for the backoff, and the status says why (logged when the device goes OFFLINE, not
     * at every retry).
     *
     * @param detail a short machine-readable reason, e.g. {@code connect-failed}
     * @param message what happened, naming the endpoint
     */
    protected final void offline(String detail, String message) {
        meter.error();
        closeConnection();
        long delay = backoff.failed();
        DeviceStatus s = status;
        if (s.state() != DeviceState.OFFLINE || !s.message().equals(message)) {
            if (s.state() != DeviceState.OFFLINE) {
                LOG.warn("{} device {}: OFFLINE: {} (retry in {} ms)", driver, deviceId, message, delay);
            }
            status = new DeviceStatus(DeviceState.OFFLINE, detail, message, clock.instant());
        }
    }

    /**
     * The endpoint answered: the backoff starts over and the status is ONLINE, or DEGRADED with the reason.
     *
     * @param degradedDetail null for ONLINE, otherwise a short reason
     * @param degradedMessage what is degraded
     */
    protected final void answered(String degradedDetail, String degradedMessage) {
        backoff.succeeded();
        DeviceState state = degradedDetail == null ? DeviceState.ONLINE : DeviceState.DEGRADED;
        DeviceStatus s = status;
        if (s.state() != state || state == DeviceState.DEGRADED && !s.message().equals(degradedMessage)) {
            if (s.state() != state) {
                LOG.info("{} device {}: {}", driver, deviceId, state);
            }
            status = state == DeviceState.ONLINE ? DeviceStatus.of(state, clock.instant())
                    : new DeviceStatus(state, degradedDetail, degradedMessage, clock.instant());
        }
    }

    /**
     * The configuration cannot work (e.g. an address the protocol refuses): CONFIG_ERROR with the reason, logged once.
     *
     * @param detail a short reason
     * @param message naming the channel or setting and the value
     */
    protected final void configError(String detail, String message) {
        closeConnection();
        if (status.state() != DeviceState.CONFIG_ERROR || !status.message().equals(message)) {
            LOG.error("{} device {}: CONFIG_ERROR: {}", driver, deviceId, message);
            status = new DeviceStatus(DeviceState.CONFIG_ERROR, detail, message, clock.instant());
        }
    }

    /** @return true when the backoff allows the next connection attempt */
    protected final boolean reconnectDue() {
        return backoff.due();
    }

    // --- generation fence ---------------------------------------------------------------------------------------

    /** @return the generation of a new connection; callbacks of older ones are to be ignored */
    protected final long newGeneration() {
        return generation.incrementAndGet();
    }

    /**
     * @param gen the generation a callback belongs to
     * @return true if it belongs to the current connection
     */
    protected final boolean isCurrent(long gen) {
        return gen == generation.get();
    }

    // --- shared parts ---------------------------------------------------------------------------------------------

    /** @return the lane (all I/O of this endpoint) */
    protected final DeviceLane lane() {
        return lane;
    }

    /** @return the counters and the overrun deferral */
    protected final DeviceMeter meter() {
        return meter;
    }

    /** @return the time source */
    protected final Clock clock() {
        return clock;
    }

    /** @return the configured channels, in configuration order */
    protected final List<C> configuredChannels() {
        return configured;
    }

    /** @return the configured channels by id */
    protected final Map<ChannelId, C> channelsById() {
        return byId;
    }

    /**
     * @param what "device X: channel = value"
     * @return the refusal of a write while the endpoint is not connected
     */
    protected final WriteResult notConnected(String what) {
        DeviceStatus s = status;
        return WriteResult.refused(what + " refused: device " + s.state() + " (" + s.message() + ")");
    }

    @Override
    public final String id() {
        return deviceId;
    }

    @Override
    public final String driver() {
        return driver;
    }

    /**
     * The device's status; ONLINE shows as DEGRADED while the sample sink refuses its batches (the journal's queue is
     * full or its disk is full): the device answers, but its samples are lost and counted as overruns.
     */
    @Override
    public final DeviceStatus status() {
        DeviceStatus s = status;
        SubmitResult refused = meter.refusal();
        if (refused != null && s.state() == DeviceState.ONLINE) {
            return new DeviceStatus(DeviceState.DEGRADED, refused == SubmitResult.DISK_FULL ? "disk-full" : "overrun",
                    refused == SubmitResult.DISK_FULL
                            ? "the journal's disk is full: samples are refused, counted as overruns and reported as gaps"
                            : "the journal's queue is full: samples of deferred polls are lost (overruns)", s.since());
        }
        return s;
    }

    @Override
    public final List<ChannelDescriptor> channels() {
        return descriptors;
    }

    @Override
    public final DeviceCounters counters() {
        return meter.snapshot();
    }

    @Override
    public final CompletionStage<WriteResult> write(ChannelId channel, Value value) {
        C c = byId.get(channel);
        ChannelDescriptor d = declared.get(channel);
        if (c == null || !d.writable()) {
            return CompletableFuture.completedFuture(WriteResult.refused("device " + deviceId + ": channel " + channel + " is not writable"
                    + writableHint()));
        }
        String what = "device " + deviceId + ": " + channel + " = " + (value instanceof StringValue s ? s.value() : value.asDouble());
        String misfit = misfit(d, value);
        if (misfit != null) {
            return CompletableFuture.completedFuture(WriteResult.refused(what + " refused: " + misfit));
        }
        return lane.submit(() -> writeOnLane(c, value, what), e -> e instanceof RejectedExecutionException
                ? WriteResult.refused("device " + deviceId + " is stopped")
                : WriteResult.refused(what + " failed: " + e));
    }

    private String writableHint() {
        List<ChannelId> writable = descriptors.stream().filter(ChannelDescriptor::writable).map(ChannelDescriptor::id).toList();
        return writable.isEmpty() ? "" : " (writable: " + writable.stream().map(ChannelId::toString).collect(Collectors.joining(", ")) + ")";
    }

    /** @return why the value does not fit the channel, or null */
    static String misfit(ChannelDescriptor d, Value value) {
        boolean numericChannel = d.type() == ValueType.DOUBLE || d.type() == ValueType.LONG;
        if (numericChannel) {
            boolean numeric = value.type() == ValueType.DOUBLE || value.type() == ValueType.LONG;
            return numeric && Double.isFinite(value.asDouble()) && d.inRange(value.asDouble()) ? null
                    : "a number within [" + d.min() + ", " + d.max() + "] is required";
        }
        return value.type() == d.type() ? null
                : "the channel takes a " + d.type().name().toLowerCase(java.util.Locale.ROOT) + ", not " + value.type().name().toLowerCase(java.util.Locale.ROOT);
    }
}
