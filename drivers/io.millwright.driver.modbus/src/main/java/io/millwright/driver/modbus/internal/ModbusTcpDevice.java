package io.millwright.driver.modbus.internal;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import io.millwright.api.ChannelId;
import io.millwright.api.Clocks;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceCounters;
import io.millwright.driver.api.DeviceState;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.driver.api.SampleSink;
import io.millwright.driver.api.SubmitResult;
import io.millwright.driver.api.WriteResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * One Modbus TCP endpoint (factory PID {@value #PID}). Its lane {@code modbus-io-<deviceId>} does all
 * I/O in order: polls the read plan, turns exception responses into BAD samples for the channels of
 * that request, treats I/O failures and timeouts as a lost connection (OFFLINE, reconnect with capped
 * exponential backoff and jitter), and carries out writes.
 */
@Component(configurationPid = ModbusTcpDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ModbusTcpDevice.Config.class, factory = true)
public final class ModbusTcpDevice implements Device {

    static final String PID = "io.millwright.driver.modbus.tcp";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusTcpDevice.class);

    /** Configuration of one Modbus TCP device. */
    @ObjectClassDefinition(name = "Millwright Modbus TCP device")
    public @interface Config {
        /** @return device id */
        @AttributeDefinition(description = "Device id, unique in the gateway")
        String deviceId();

        /** @return host */
        @AttributeDefinition(description = "Host name or address of the Modbus TCP server")
        String host();

        /** @return port */
        @AttributeDefinition(description = "TCP port")
        int port() default 502;

        /** @return unit id */
        @AttributeDefinition(description = "Unit id (slave address), 0-255")
        int unitId() default 1;

        /** @return poll interval, ms */
        @AttributeDefinition(description = "Poll interval in ms (10-3600000)")
        int pollIntervalMs() default 1000;

        /** @return timeout per request, ms */
        @AttributeDefinition(description = "Timeout of connect and of every request in ms (50-60000)")
        int timeoutMs() default 1000;

        /** @return first reconnect delay, ms */
        @AttributeDefinition(description = "First reconnect delay in ms; doubles per failure, with jitter, up to reconnectMaxMs")
        int reconnectMinMs() default 500;

        /** @return longest reconnect delay, ms */
        @AttributeDefinition(description = "Longest reconnect delay in ms")
        int reconnectMaxMs() default 30000;

        /** @return largest hole read through when coalescing */
        @AttributeDefinition(description = "Largest hole of unused registers or bits read through to save a request (0-2000)")
        int maxGap() default 8;

        /** @return channels */
        @AttributeDefinition(description = "Channels: 'asset/tag table:address type [order=] [scale=] [offset=] [unit=] [min=] [max=] [writable]'")
        String[] channels();
    }

    private final String deviceId;
    private final String host;
    private final int port;
    private final int unitId;
    private final int timeoutMs;
    private final long reconnectMinMs;
    private final long reconnectMaxMs;
    private final List<ModbusChannel> channels;
    private final Map<ChannelId, ModbusChannel> byId;
    private final List<ChannelDescriptor> descriptors;
    private final ReadPlan plan;
    private final SampleSink sink;
    private final Clock clock;
    private final ScheduledExecutorService lane;
    private final ServiceRegistration<Device> registration;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile DeviceStatus status;

    // lane state
    private ModbusTCPMaster master;
    private int failures;
    private long nextAttemptNanos;
    private boolean deferNext;

    /**
     * @param context to register the device service
     * @param sink where samples go
     * @param config the device configuration
     * @throws IllegalArgumentException naming the PID, the device, the attribute or channel and the value
     */
    @Activate
    public ModbusTcpDevice(BundleContext context, @Reference SampleSink sink, Config config) {
        this(context, sink, config, Clock.systemUTC());
    }

    ModbusTcpDevice(BundleContext context, SampleSink sink, Config c, Clock clock) {
        String id = c.deviceId() == null ? "" : c.deviceId();
        try {
            if (!id.matches("[A-Za-z0-9_.\\-]{1,64}")) {
                throw new IllegalArgumentException("deviceId=" + id + ": 1-64 characters of [A-Za-z0-9_.-]");
            }
            if (c.host() == null || c.host().isBlank()) {
                throw new IllegalArgumentException("host is required");
            }
            range("port", c.port(), 1, 65535);
            range("unitId", c.unitId(), 0, 255);
            range("pollIntervalMs", c.pollIntervalMs(), 10, 3_600_000);
            range("timeoutMs", c.timeoutMs(), 50, 60_000);
            range("reconnectMinMs", c.reconnectMinMs(), 10, 600_000);
            range("reconnectMaxMs", c.reconnectMaxMs(), c.reconnectMinMs(), 3_600_000);
            range("maxGap", c.maxGap(), 0, 2000);
            this.channels = ModbusChannel.parseAll(c.channels());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + " of device '" + id + "': " + e.getMessage(), e);
        }
        this.deviceId = id;
        this.host = c.host();
        this.port = c.port();
        this.unitId = c.unitId();
        this.timeoutMs = c.timeoutMs();
        this.reconnectMinMs = c.reconnectMinMs();
        this.reconnectMaxMs = c.reconnectMaxMs();
        this.byId = channels.stream().collect(Collectors.toMap(ModbusChannel::id, Function.identity()));
        this.descriptors = channels.stream().map(ModbusChannel::descriptor).toList();
        this.plan = new ReadPlan(channels, c.maxGap());
        this.sink = sink;
        this.clock = clock;
        this.status = DeviceStatus.of(DeviceState.STARTING, clock.instant());
        this.lane = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modbus-io-" + deviceId);
            t.setDaemon(true);
            return t;
        });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Device.DEVICE_ID, deviceId);
        props.put(Device.DRIVER, driver());
        this.registration = context == null ? null : context.registerService(Device.class, this, props);
        lane.scheduleWithFixedDelay(this::pollSafely, 0, c.pollIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.info("modbus device {}: {}:{} unit {}, {} channels in {} requests per poll", deviceId, host, port, unitId, channels.size(),
                plan.requests().size());
    }

    private static void range(String attribute, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(attribute + "=" + value + ": must be " + min + ".." + max);
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            offline("poll-failed", "poll failed: " + e);
        }
    }

    private boolean connected() {
        if (master != null && master.isConnected()) {
            return true;
        }
        if (System.nanoTime() < nextAttemptNanos) {
            return false;
        }
        try {
            disconnect();
            ModbusTCPMaster m = new ModbusTCPMaster(host, port, timeoutMs, false);
            m.setTimeout(timeoutMs);
            m.connect();
            master = m;
            return true;
        } catch (Exception e) {
            offline("connect-failed", "cannot connect to " + host + ":" + port + ": " + e.getMessage());
            return false;
        }
    }

    private void poll() {
        if (!connected()) {
            return;
        }
        long now = Clocks.micros(clock);
        List<Sample> out = new ArrayList<>(channels.size());
        int bad = 0;
        for (ReadPlan.Request r : plan.requests()) {
            try {
                read(r, now, out);
            } catch (ModbusSlaveException e) {
                errors.incrementAndGet();
                bad += r.channels().size();
                Quality q = Quality.bad("Modbus exception " + e.getType() + " for " + r.table().key + ":" + r.start() + "+" + r.count() + ": "
                        + ModbusSlaveException.getMessage(e.getType()));
                for (ModbusChannel c : r.channels()) {
                    out.add(Sample.of(c.id(), now, placeholder(c), q));
                }
            } catch (ModbusException e) {
                errors.incrementAndGet();
                offline("io-failed", "request " + r.table().key + ":" + r.start() + "+" + r.count() + " to " + host + ":" + port + " failed: "
                        + e.getMessage());
                return;
            }
        }
        polls.incrementAndGet();
        failures = 0;
        DeviceState state = bad == 0 ? DeviceState.ONLINE : DeviceState.DEGRADED;
        if (status.state() != state) {
            LOG.info("modbus device {}: {}", deviceId, state);
            status = bad == 0 ? DeviceStatus.of(state, clock.instant())
                    : new DeviceStatus(state, "exception-responses", bad + " channels answered with Modbus exceptions", clock.instant());
        }
        if (deferNext) {
            deferNext = false;
            return;
        }
        if (sink.submit(new SampleBatch(deviceId, out)) == SubmitResult.OVERRUN) {
            overruns.incrementAndGet();
            deferNext = true;
        } else {
            samples.addAndGet(out.size());
        }
    }

    private static Value placeholder(ModbusChannel c) {
        return switch (c.descriptor().type()) {
            case BOOLEAN -> Value.of(false);
            case LONG -> Value.of(0L);
            default -> Value.of(Double.NaN);
        };
    }

    private void read(ReadPlan.Request r, long now, List<Sample> out) throws ModbusException {
        switch (r.table()) {
            case COIL, DISCRETE -> {
                BitVector bits = r.table() == ModbusTable.COIL ? master.readCoils(unitId, r.start(), r.count())
                        : master.readInputDiscretes(unitId, r.start(), r.count());
                for (ModbusChannel c : r.channels()) {
                    out.add(Sample.of(c.id(), now, Value.of(bits.getBit(c.address() - r.start())), Quality.GOOD));
                }
            }
            case INPUT, HOLDING -> {
                InputRegister[] regs = r.table() == ModbusTable.HOLDING ? master.readMultipleRegisters(unitId, r.start(), r.count())
                        : master.readInputRegisters(unitId, r.start(), r.count());
                int[] words = new int[regs.length];
                for (int i = 0; i < regs.length; i++) {
                    words[i] = regs[i].toUnsignedShort();
                }
                for (ModbusChannel c : r.channels()) {
                    int at = c.address() - r.start();
                    Value v;
                    if (c.descriptor().type() == ValueType.LONG) {
                        v = Value.of(RegisterCodec.decodeLong(words, at, c.type(), c.order()));
                    } else {
                        v = Value.of(RegisterCodec.decode(words, at, c.type(), c.order()) * c.scale() + c.offset());
                    }
                    out.add(Sample.of(c.id(), now, v, Quality.GOOD));
                }
            }
            default -> throw new IllegalStateException("unknown table " + r.table());
        }
    }

    private void offline(String detail, String message) {
        disconnect();
        long delay = Math.min(reconnectMaxMs, reconnectMinMs << Math.min(failures, 20));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        failures++;
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        if (status.state() != DeviceState.OFFLINE || !status.message().equals(message)) {
            if (status.state() != DeviceState.OFFLINE) {
                LOG.warn("modbus device {}: OFFLINE: {}", deviceId, message);
            }
            status = new DeviceStatus(DeviceState.OFFLINE, detail, message, clock.instant());
        }
    }

    private void disconnect() {
        ModbusTCPMaster m = master;
        master = null;
        if (m != null) {
            m.disconnect();
        }
    }

    @Override
    public String id() {
        return deviceId;
    }

    @Override
    public String driver() {
        return "modbus";
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
        return new DeviceCounters(polls.get(), samples.get(), overruns.get(), errors.get());
    }

    @Override
    public CompletionStage<WriteResult> write(ChannelId channel, Value value) {
        ModbusChannel c = byId.get(channel);
        if (c == null || !c.writable()) {
            return CompletableFuture.completedFuture(WriteResult.refused("device " + deviceId + ": channel " + channel + " is not writable"));
        }
        CompletableFuture<WriteResult> result = new CompletableFuture<>();
        try {
            lane.execute(() -> result.complete(writeOnLane(c, value)));
        } catch (RejectedExecutionException e) {
            result.complete(WriteResult.refused("device " + deviceId + " is stopped"));
        }
        return result;
    }

    private WriteResult writeOnLane(ModbusChannel c, Value value) {
        String what = "device " + deviceId + ": " + c.id() + " = " + value.asDouble();
        if (!connected()) {
            return WriteResult.refused(what + " refused: device " + status.state() + " (" + status.message() + ")");
        }
        try {
            if (c.table() == ModbusTable.COIL) {
                if (value.type() != ValueType.BOOLEAN) {
                    return WriteResult.refused(what + " refused: a coil takes a boolean, not " + value.type());
                }
                master.writeCoil(unitId, c.address(), value.asDouble() != 0);
            } else {
                double engineering = value.asDouble();
                if (value.type() != ValueType.DOUBLE && value.type() != ValueType.LONG || !c.descriptor().inRange(engineering)) {
                    return WriteResult.refused(what + " refused: a number within [" + c.min() + ", " + c.max() + "] is required");
                }
                int[] words = RegisterCodec.encode((engineering - c.offset()) / c.scale(), c.type(), c.order());
                Register[] regs = new Register[words.length];
                for (int i = 0; i < words.length; i++) {
                    regs[i] = new SimpleRegister(words[i]);
                }
                master.writeMultipleRegisters(unitId, c.address(), regs);
            }
            return WriteResult.accepted(what);
        } catch (IllegalArgumentException e) {
            return WriteResult.refused(what + " refused: " + e.getMessage());
        } catch (ModbusSlaveException e) {
            return WriteResult.refused(what + " refused by the device: Modbus exception " + e.getType() + ": "
                    + ModbusSlaveException.getMessage(e.getType()));
        } catch (ModbusException e) {
            offline("io-failed", "write to " + host + ":" + port + " failed: " + e.getMessage());
            return WriteResult.refused(what + " failed: " + e.getMessage());
        }
    }

    /** Stops the lane, closes the connection and withdraws the service. Idempotent. */
    @Deactivate
    public void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("device {} was already unregistered", deviceId);
            }
        }
        try {
            lane.submit(this::disconnect).get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("modbus device {}: disconnect on stop failed", deviceId, e);
        }
        lane.shutdownNow();
        try {
            lane.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status = DeviceStatus.of(DeviceState.STOPPED, clock.instant());
    }
}
