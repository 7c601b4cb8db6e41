package io.millwright.simulator.plant;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.api.Waveform;
import io.millwright.driver.api.ChannelDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo plant: a centrifugal pump, an electric motor and a compressor. One of them (by default
 * the pump) carries a bearing fault that develops to failure. Pure and deterministic: the gateway's
 * simulator device drives it from its lane, and the training tool runs it offline (run-to-failure
 * lives for the reference model) through the same code. Not thread-safe.
 */
public final class SimulatedPlant {

    /** The writable speed setpoint's tag. */
    public static final String SETPOINT_TAG = "speed_setpoint";

    private final List<SimulatedAsset> assets;
    private final List<ChannelDescriptor> channels;

    /**
     * @param seed random seed of the noise and phases
     * @param faultyAsset {@code pump-1}, {@code motor-1}, {@code compressor-1}, or empty for none
     * @param lifeSeconds simulated seconds from a new bearing to failure at nominal speed
     * @param repairSeconds simulated seconds a failed machine stays down
     */
    public SimulatedPlant(long seed, String faultyAsset, double lifeSeconds, double repairSeconds) {
        assets = List.of(
                new SimulatedAsset("pump-1", AssetKind.CENTRIFUGAL_PUMP, seed, "pump-1".equals(faultyAsset), lifeSeconds, repairSeconds),
                new SimulatedAsset("motor-1", AssetKind.ELECTRIC_MOTOR, seed, "motor-1".equals(faultyAsset), lifeSeconds, repairSeconds),
                new SimulatedAsset("compressor-1", AssetKind.COMPRESSOR, seed, "compressor-1".equals(faultyAsset), lifeSeconds,
                        repairSeconds));
        List<ChannelDescriptor> list = new ArrayList<>();
        for (SimulatedAsset a : assets) {
            double max = a.kind.maxSpeed;
            list.add(new ChannelDescriptor(id(a, "speed"), ValueType.DOUBLE, "rpm", -10, max * 1.2, false));
            list.add(new ChannelDescriptor(id(a, SETPOINT_TAG), ValueType.DOUBLE, "rpm", 0, max, true));
            list.add(new ChannelDescriptor(id(a, "current"), ValueType.DOUBLE, "A", -5, a.kind.nominalCurrent * 3, false));
            list.add(new ChannelDescriptor(id(a, "bearing_temperature"), ValueType.DOUBLE, "Cel", -40, 200, false));
            list.add(new ChannelDescriptor(id(a, "winding_temperature"), ValueType.DOUBLE, "Cel", -40, 250, false));
            list.add(ChannelDescriptor.of(id(a, "running"), ValueType.BOOLEAN, ""));
            list.add(ChannelDescriptor.of(id(a, "trip_reason"), ValueType.STRING, ""));
            list.add(new ChannelDescriptor(id(a, "production_count"), ValueType.LONG,
                    a.kind == AssetKind.ELECTRIC_MOTOR ? "{parts}" : "L", 0, Double.POSITIVE_INFINITY, false));
            list.add(new ChannelDescriptor(id(a, "energy"), ValueType.DOUBLE, "kWh", 0, Double.POSITIVE_INFINITY, false));
            if (a.kind == AssetKind.ELECTRIC_MOTOR) {
                list.add(new ChannelDescriptor(id(a, "reject_count"), ValueType.LONG, "{parts}", 0, Double.POSITIVE_INFINITY, false));
            }
            list.add(ChannelDescriptor.of(id(a, "vibration"), ValueType.WAVEFORM, "m/s2"));
            if (a.kind.nominalFlow > 0) {
                list.add(new ChannelDescriptor(id(a, "flow"), ValueType.DOUBLE, a.kind.flowUnit, -1, a.kind.nominalFlow * 3, false));
                list.add(new ChannelDescriptor(id(a, "discharge_pressure"), ValueType.DOUBLE, "bar", -1, 40, false));
            }
            if (a.kind == AssetKind.COMPRESSOR) {
                list.add(new ChannelDescriptor(id(a, "discharge_temperature"), ValueType.DOUBLE, "Cel", -40, 250, false));
            }
        }
        channels = List.copyOf(list);
    }

    private static ChannelId id(SimulatedAsset a, String tag) {
        return new ChannelId(a.name, tag);
    }

    /** @return every channel of the plant */
    public List<ChannelDescriptor> channels() {
        return channels;
    }

    /** @return the machines */
    public List<SimulatedAsset> assets() {
        return assets;
    }

    /**
     * @param name asset name
     * @return the machine, if the plant has it
     */
    public Optional<SimulatedAsset> asset(String name) {
        return assets.stream().filter(a -> a.name.equals(name)).findFirst();
    }

    /**
     * Advances every asset and reads all channels.
     *
     * @param dtSeconds simulated seconds since the last tick
     * @param timeMicros source timestamp for the samples
     * @param waveformRateHz sample rate of vibration blocks, or 0 for no vibration in this tick
     * @param waveformPoints points per vibration block
     * @return the samples of this tick
     */
    public List<Sample> tick(double dtSeconds, long timeMicros, double waveformRateHz, int waveformPoints) {
        List<Sample> out = new ArrayList<>(64);
        for (SimulatedAsset a : assets) {
            a.step(dtSeconds);
            out.addAll(read(a, timeMicros, waveformRateHz, waveformPoints));
        }
        return out;
    }

    /**
     * Advances one machine and reads its channels (a what-if run steps one machine).
     *
     * @param asset the machine
     * @param dtSeconds simulated seconds since its last tick
     * @param timeMicros source timestamp for the samples
     * @param waveformRateHz sample rate of the vibration block, or 0 for none
     * @param waveformPoints points per block
     * @return its samples of this tick
     */
    public List<Sample> tick(SimulatedAsset asset, double dtSeconds, long timeMicros, double waveformRateHz, int waveformPoints) {
        asset.step(dtSeconds);
        return read(asset, timeMicros, waveformRateHz, waveformPoints);
    }

    /**
     * Reads one machine's channels without advancing it.
     *
     * @param a the machine
     * @param timeMicros source timestamp
     * @param waveformRateHz sample rate of the vibration block, or 0 for none
     * @param waveformPoints points per block
     * @return its samples
     */
    public List<Sample> read(SimulatedAsset a, long timeMicros, double waveformRateHz, int waveformPoints) {
        List<Sample> out = new ArrayList<>(16);
        add(out, a, "speed", Value.of(a.speed()), timeMicros);
        add(out, a, SETPOINT_TAG, Value.of(a.setpoint()), timeMicros);
        add(out, a, "current", Value.of(a.current()), timeMicros);
        add(out, a, "bearing_temperature", Value.of(a.bearingTemperature()), timeMicros);
        add(out, a, "winding_temperature", Value.of(a.windingTemperature()), timeMicros);
        add(out, a, "running", Value.of(a.running()), timeMicros);
        add(out, a, "trip_reason", Value.of(a.tripReason()), timeMicros);
        add(out, a, "production_count", Value.of(a.productionCount()), timeMicros);
        add(out, a, "energy", Value.of(a.energyKwh()), timeMicros);
        if (a.kind == AssetKind.ELECTRIC_MOTOR) {
            add(out, a, "reject_count", Value.of(a.rejectCount()), timeMicros);
        }
        if (a.kind.nominalFlow > 0) {
            add(out, a, "flow", Value.of(a.flow()), timeMicros);
            add(out, a, "discharge_pressure", Value.of(a.pressureBar()), timeMicros);
        }
        if (a.kind == AssetKind.COMPRESSOR) {
            add(out, a, "discharge_temperature", Value.of(a.dischargeTemperature()), timeMicros);
        }
        if (waveformRateHz > 0) {
            add(out, a, "vibration", new Waveform(a.vibration(waveformRateHz, waveformPoints), waveformRateHz), timeMicros);
        }
        return out;
    }

    private static void add(List<Sample> out, SimulatedAsset a, String tag, Value v, long t) {
        out.add(Sample.of(new ChannelId(a.name, tag), t, v, Quality.GOOD));
    }
}
