package io.millwright.simulator.internal;

import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.api.Clocks;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.driver.api.WriteResult;
import io.millwright.driver.support.LaneDevice;
import java.time.Clock;
import java.util.List;
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
 * A simulated plant as a device: one factory configuration per plant. Its lane
 * ({@code simulator-io-<deviceId>}) advances the physics at a fixed tick, publishes every channel,
 * and applies speed-setpoint writes.
 */
@Component(configurationPid = SimulatedPlantDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = SimulatedPlantDevice.Config.class, factory = true)
public final class SimulatedPlantDevice extends LaneDevice<ChannelDescriptor> {

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

        /** @return injected sensor faults */
        @AttributeDefinition(required = false, description = "Injected sensor faults, '<asset>/<tag> <kind> [after=<seconds>] [rate=<units/h>]'"
                + " with kind flatline, dropout, out_of_range, time_regression, duplicates, jitter, bad, uncertain or drift (a calibration"
                + " drift of rate units per hour; to see data-quality and drift detectors fire)")
        String[] sensorFaults() default {};
    }

    private final SimulatedPlant plant;
    private final double tickSimSeconds;
    private final int waveformEveryTicks;
    private final int waveformRateHz;
    private final int waveformPoints;
    private final SampleSink sink;
    private final List<io.millwright.simulator.plant.SensorFault> faults;
    private long tick; // lane only
    private final org.osgi.framework.ServiceRegistration<io.millwright.whatif.api.AssetPhysics> physics;

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
        this(context, sink, config, validated(config), clock);
    }

    private SimulatedPlantDevice(BundleContext context, SampleSink sink, Config config, SimulatedPlant plant, Clock clock) {
        super("simulator", config.deviceId(), plant.channels(), d -> d, 1000, 1000, clock);
        this.plant = plant;
        this.sink = sink;
        this.tickSimSeconds = config.scalarIntervalMs() / 1000.0 * config.timeAcceleration();
        this.waveformEveryTicks = config.waveformIntervalMs() == 0 ? 0
                : Math.max(1, Math.round((float) config.waveformIntervalMs() / config.scalarIntervalMs()));
        this.waveformRateHz = config.waveformRateHz();
        this.waveformPoints = (int) Math.round(config.waveformRateHz() * config.waveformSeconds());
        this.faults = faults(config);
        if (!faults.isEmpty()) {
            LOG.warn("simulated plant {}: injected sensor faults {}", config.deviceId(), faults);
        }
        LOG.info("simulated plant {} started: {} channels, time x{}, fault on '{}' after {} s", config.deviceId(),
                plant.channels().size(), config.timeAcceleration(), config.faultyAsset(), config.failureAfterSeconds());
        start(context, config.scalarIntervalMs(), true, this::tick);
        // the plant's physics for what-if runs (a private copy of a machine per run; never this plant)
        this.physics = context == null ? null : context.registerService(io.millwright.whatif.api.AssetPhysics.class, new SimulatorPhysics(config),
                new java.util.Hashtable<>(java.util.Map.of(DEVICE_ID, config.deviceId())));
    }

    private static SimulatedPlant validated(Config config) {
        validate(config);
        return new SimulatedPlant(config.seed(), config.faultyAsset(), config.failureAfterSeconds(), config.repairSeconds());
    }

    private static List<io.millwright.simulator.plant.SensorFault> faults(Config c) {
        List<io.millwright.simulator.plant.SensorFault> out = new java.util.ArrayList<>();
        for (String f : c.sensorFaults() == null ? new String[0] : c.sensorFaults()) {
            if (f == null || f.isBlank()) {
                continue;
            }
            try {
                out.add(io.millwright.simulator.plant.SensorFault.parse(f));
            } catch (IllegalArgumentException e) {
                throw invalid("sensorFaults", f, e.getMessage());
            }
        }
        return out;
    }

    static void validate(Config c) {
        faults(c);
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

    @Override
    protected void taskFailed(Throwable e) {
        LOG.error("simulated plant {}: tick failed", id(), e);
        answered("tick-failed", e.toString());
    }

    private void tick() {
        boolean waveform = waveformEveryTicks > 0 && tick % waveformEveryTicks == 0;
        tick++;
        List<Sample> batch = plant.tick(tickSimSeconds, Clocks.micros(clock()), waveform ? waveformRateHz : 0, waveformPoints);
        for (io.millwright.simulator.plant.SensorFault f : faults) {
            batch = f.apply(batch);
        }
        if (meter().submit(sink, new SampleBatch(id(), batch))) {
            answered(null, null);
        } else if (meter().refusal() == SubmitResult.DISK_FULL) {
            answered("disk-full", "the journal's disk is full: samples are refused, counted as overruns and reported as gaps");
        } else {
            answered("overrun", "journal queue full: samples of deferred polls are lost");
        }
    }

    @Override
    protected void closeConnection() {
        // a simulated plant has no connection
    }

    @Override
    protected String addressOf(ChannelDescriptor channel) {
        return "simulated " + channel.id(); // the plant's own model: asset and tag
    }

    @Override
    protected WriteResult writeOnLane(ChannelDescriptor channel, Value value, String what) {
        double rpm = value.asDouble();
        plant.asset(channel.id().asset()).orElseThrow().setpoint(rpm);
        LOG.info("simulated plant {}: {} set to {} rpm", id(), channel.id(), rpm);
        return WriteResult.accepted(channel.id() + " = " + rpm + " rpm");
    }

    /** Stops the lane and withdraws the service. Idempotent. */
    @Deactivate
    public void deactivate() {
        if (physics != null) {
            try {
                physics.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        stop(null, 0);
        LOG.info("simulated plant {} stopped", id());
    }
}
