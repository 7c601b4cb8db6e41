package io.millwright.simulator.internal;

import io.millwright.api.ChannelId;
import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.api.Clocks;
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
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * A simulated plant as a device: one factory configuration per plant. Its lane
 * ({@code simulator-io-<deviceId>}) advances the physics at a fixed tick, publishes every channel,
 * and applies speed-setpoint writes.
 */
@Component(configurationPid = SimulatedPlantDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = SimulatedPlantDevice.Config.class, factory = true)
public final class SimulatedPlantDevice implements Device {

    static final String PID = "io.millwright.simulator.plant";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedPlantDevice.class);

    /** Configuration of one simulated plant. */
    @ObjectClassDefinition(name = "Millwright simulated plant", description = "A pump, a motor and a compressor; one develops a bearing fault")
    public @interface Config {
        /** @return device id */
        @AttributeDefinition(description = "Device id, unique in the gateway")
        String deviceId() default "sim";

        /** @return seed of the noise generators */
        @AttributeDefinition(description = "Seed of the noise generators: same seed, same signals")
        long seed() default 42;

        /** @return simulated seconds per real second */
        @AttributeDefinition(min = "0.1", max = "10000", description = "Simulated seconds per real second (0.1-10000)")
        double timeAcceleration() default 1.0;

        /** @return asset with the bearing fault, empty for none */
        @AttributeDefinition(description = "Asset that develops a bearing fault: pump-1, motor-1, compressor-1, or empty for none")
        String faultyAsset() default "pump-1";

        /** @return simulated seconds from a new bearing to failure at nominal speed */
        @AttributeDefinition(min = "10", max = "31536000", description = "Simulated seconds from a new bearing to failure at nominal speed (10-31536000)")
        double failureAfterSeconds() default 300;

        /** @return simulated seconds a failed asset stays down before it runs again with a new bearing */
        @AttributeDefinition(min = "1", max = "31536000", description = "Simulated seconds a failed asset stays down before repair (1-31536000)")
        double repairSeconds() default 120;

        /** @return interval of the scalar channels, ms */
        @AttributeDefinition(min = "10", max = "60000", description = "Publication interval of scalar channels in ms (10-60000)")
        int scalarIntervalMs() default 1000;

        /** @return interval of vibration blocks, ms */
        @AttributeDefinition(description = "Interval of vibration blocks in ms (a multiple of the scalar interval; 0 for none)")
        int waveformIntervalMs() default 5000;

        /** @return vibration sample rate, Hz */
        @AttributeDefinition(min = "256", max = "65536", description = "Vibration sample rate in Hz (256-65536)")
        int waveformRateHz() default 4096;

        /** @return vibration block length, s */
        @AttributeDefinition(min = "0.01", max = "10", description = "Vibration block length in s (0.01-10)")
        double waveformSeconds() default 1.0;
    }

    private final String deviceId;
    private final SampleSink sink;
    private final Clock clock;
    private final SimulatedPlant plant;
    private final double tickSimSeconds;
    private final int waveformEveryTicks;
    private final int waveformRateHz;
    private final int waveformPoints;
    private final ScheduledExecutorService lane;
    private final ServiceRegistration<Device> registration;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile DeviceStatus status;
    private long tick;
    private boolean deferNext;

    /**
     * @param context to register the device service
     * @param sink where samples go
     * @param config the plant configuration
     * @throws IllegalArgumentException naming the PID, attribute and value of an invalid setting
     */
    @Activate
    public SimulatedPlantDevice(BundleContext context, @Reference SampleSink sink, Config config) {
        this(context, sink, config, Clock.systemUTC());
    }

    SimulatedPlantDevice(BundleContext context, SampleSink sink, Config config, Clock clock) {
        validate(config);
        this.deviceId = config.deviceId();
        this.sink = sink;
        this.clock = clock;
        this.plant = new SimulatedPlant(config.seed(), config.faultyAsset(), config.failureAfterSeconds(), config.repairSeconds());
        this.tickSimSeconds = config.scalarIntervalMs() / 1000.0 * config.timeAcceleration();
        this.waveformEveryTicks = config.waveformIntervalMs() == 0 ? 0
                : Math.max(1, Math.round((float) config.waveformIntervalMs() / config.scalarIntervalMs()));
        this.waveformRateHz = config.waveformRateHz();
        this.waveformPoints = (int) Math.round(config.waveformRateHz() * config.waveformSeconds());
        this.status = DeviceStatus.of(DeviceState.STARTING, clock.instant());
        this.lane = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulator-io-" + deviceId);
            t.setDaemon(true);
            return t;
        });
        // registered before the first tick, so that ingest knows the declared channels of the first batch
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Device.DEVICE_ID, deviceId);
        props.put(Device.DRIVER, driver());
        this.registration = context == null ? null : context.registerService(Device.class, this, props);
        lane.scheduleAtFixedRate(this::tickSafely, 0, config.scalarIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.info("simulated plant {} started: {} channels, time x{}, fault on '{}' after {} s", deviceId,
                plant.channels().size(), config.timeAcceleration(), config.faultyAsset(), config.failureAfterSeconds());
    }

    static void validate(Config c) {
        if (c.deviceId() == null || !c.deviceId().matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw invalid("deviceId", c.deviceId(), "1-64 characters of [A-Za-z0-9_.-]");
        }
        range("timeAcceleration", c.timeAcceleration(), 0.1, 10_000);
        range("failureAfterSeconds", c.failureAfterSeconds(), 10, 31_536_000);
        range("repairSeconds", c.repairSeconds(), 1, 31_536_000);
        range("scalarIntervalMs", c.scalarIntervalMs(), 10, 60_000);
        range("waveformRateHz", c.waveformRateHz(), 256, 65_536);
        range("waveformSeconds", c.waveformSeconds(), 0.01, 10);
        if (c.waveformIntervalMs() != 0) {
            range("waveformIntervalMs", c.waveformIntervalMs(), c.scalarIntervalMs(), 3_600_000);
        }
        if (!c.faultyAsset().isEmpty() && !List.of("pump-1", "motor-1", "compressor-1").contains(c.faultyAsset())) {
            throw invalid("faultyAsset", c.faultyAsset(), "one of pump-1, motor-1, compressor-1, or empty");
        }
    }

    private static void range(String attribute, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw invalid(attribute, value, "must be " + min + ".." + max);
        }
    }

    private static IllegalArgumentException invalid(String attribute, Object value, String expected) {
        return new IllegalArgumentException("configuration " + PID + ": " + attribute + "=" + value + ": " + expected);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            if (status.state() != DeviceState.DEGRADED) {
                LOG.error("simulated plant {}: tick failed", deviceId, e);
                status = new DeviceStatus(DeviceState.DEGRADED, "tick-failed", e.toString(), clock.instant());
            }
        }
    }

    private void tick() {
        boolean waveform = waveformEveryTicks > 0 && tick % waveformEveryTicks == 0;
        tick++;
        List<Sample> batch = plant.tick(tickSimSeconds, Clocks.micros(clock), waveform ? waveformRateHz : 0, waveformPoints);
        polls.incrementAndGet();
        if (deferNext) {
            deferNext = false;
            return;
        }
        SubmitResult result = sink.submit(new SampleBatch(deviceId, batch));
        if (result == SubmitResult.OVERRUN) {
            overruns.incrementAndGet();
            deferNext = true;
            if (status.state() != DeviceState.DEGRADED) {
                LOG.warn("simulated plant {}: the journal queue is full; polls are deferred and counted as overruns", deviceId);
                status = new DeviceStatus(DeviceState.DEGRADED, "overrun", "journal queue full: samples of deferred polls are lost",
                        clock.instant());
            }
            return;
        }
        samples.addAndGet(batch.size());
        if (status.state() != DeviceState.ONLINE) {
            status = DeviceStatus.of(DeviceState.ONLINE, clock.instant());
        }
    }

    @Override
    public String id() {
        return deviceId;
    }

    @Override
    public String driver() {
        return "simulator";
    }

    @Override
    public DeviceStatus status() {
        return status;
    }

    @Override
    public List<ChannelDescriptor> channels() {
        return plant.channels();
    }

    @Override
    public DeviceCounters counters() {
        return new DeviceCounters(polls.get(), samples.get(), overruns.get(), errors.get());
    }

    @Override
    public CompletionStage<WriteResult> write(ChannelId channel, Value value) {
        Optional<ChannelDescriptor> declared = plant.channels().stream().filter(c -> c.id().equals(channel)).findFirst();
        if (declared.isEmpty() || !declared.get().writable()) {
            return CompletableFuture.completedFuture(WriteResult.refused(
                    "device " + deviceId + ": channel " + channel + " is not writable (writable: <asset>/speed_setpoint)"));
        }
        if (value.type() != ValueType.DOUBLE && value.type() != ValueType.LONG) {
            return CompletableFuture.completedFuture(WriteResult.refused(
                    "device " + deviceId + ": channel " + channel + " takes a number, not " + value.type()));
        }
        double rpm = value.asDouble();
        if (!Double.isFinite(rpm) || !declared.get().inRange(rpm)) {
            return CompletableFuture.completedFuture(WriteResult.refused("device " + deviceId + ": " + rpm + " rpm for " + channel
                    + " is outside [" + declared.get().min() + ", " + declared.get().max() + "]"));
        }
        CompletableFuture<WriteResult> result = new CompletableFuture<>();
        try {
            lane.execute(() -> {
                plant.asset(channel.asset()).orElseThrow().setpoint(rpm);
                LOG.info("simulated plant {}: {} set to {} rpm", deviceId, channel, rpm);
                result.complete(WriteResult.accepted(channel + " = " + rpm + " rpm"));
            });
        } catch (RejectedExecutionException e) {
            result.complete(WriteResult.refused("device " + deviceId + " is stopped"));
        }
        return result;
    }

    /** Stops the lane and withdraws the service. Idempotent. */
    @Deactivate
    public void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("device {} was already unregistered", deviceId);
            }
        }
        lane.shutdownNow();
        try {
            if (!lane.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.error("simulated plant {}: lane did not stop within 5 s", deviceId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status = DeviceStatus.of(DeviceState.STOPPED, clock.instant());
        LOG.info("simulated plant {} stopped", deviceId);
    }
}
