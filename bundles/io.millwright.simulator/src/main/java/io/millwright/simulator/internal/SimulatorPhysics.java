package io.millwright.simulator.internal;

import io.millwright.api.Sample;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.whatif.api.AssetPhysics;
import io.millwright.whatif.api.Scenario;
import java.util.List;
import java.util.Map;

/**
 * The simulated plant's physics as the what-if SPI: covers the plant's own machines (pump-1, motor-1, compressor-1),
 * samples as the plant's device does (the same time acceleration, scalar and vibration cadence), and starts a machine
 * from what its twin reports. The bearing's wear is estimated from the deployed model's remaining life at the current
 * speed — remaining = (life − wear) / (speed ratio)³ — as a real plant's physics would have to: the model knows the
 * wear only once the fault shows (its answers are capped at two weeks), so a remaining life of 300 h or more (or none)
 * is taken as the fault's onset, at 30 % of the life: the pessimistic guess.
 */
public final class SimulatorPhysics implements AssetPhysics {

    static final String ID = "simulator-physics";
    static final String VERSION = "1.0.0";
    /** model answers at or above this are taken as "the fault does not show yet" */
    static final double KNOWN_WEAR_BELOW_HOURS = 300;

    private final SimulatedPlantDevice.Config config;
    private final Cadence cadence;

    /**
     * @param config the simulated plant's configuration (life, repair, acceleration, cadence, faulty machine)
     */
    public SimulatorPhysics(SimulatedPlantDevice.Config config) {
        this.config = config;
        int every = config.waveformIntervalMs() == 0 ? 0 : Math.max(1, Math.round((float) config.waveformIntervalMs() / config.scalarIntervalMs()));
        this.cadence = new Cadence(config.scalarIntervalMs() / 1000.0, config.scalarIntervalMs() / 1000.0 * config.timeAcceleration(), every,
                config.waveformRateHz(), (int) Math.round(config.waveformRateHz() * config.waveformSeconds()));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public boolean covers(String asset, String assetClass) {
        return List.of("pump-1", "motor-1", "compressor-1").contains(asset);
    }

    @Override
    public Run start(String asset, Map<String, Double> reported, double rulHours, long seed) {
        SimulatedPlant plant = new SimulatedPlant(seed, asset.equals(config.faultyAsset()) ? asset : "", config.failureAfterSeconds(),
                config.repairSeconds());
        SimulatedAsset machine = plant.asset(asset).orElseThrow(() -> new IllegalArgumentException("the simulated plant has no " + asset));
        double nominal = machine.nominalSpeed();
        double speed = reported.getOrDefault("speed", nominal);
        double setpoint = reported.getOrDefault(SimulatedPlant.SETPOINT_TAG, nominal);
        double ratio = Math.max(0.05, speed / nominal);
        double life = machine.lifeSeconds();
        double wear = Double.isFinite(rulHours) && rulHours < KNOWN_WEAR_BELOW_HOURS
                ? life - rulHours * 3600 * ratio * ratio * ratio
                : 0.3 * life;
        machine.startFrom(speed, setpoint, reported.getOrDefault("bearing_temperature", 30.0), reported.getOrDefault("winding_temperature", 30.0),
                machine.faulty() ? wear : 0);
        return new SimRun(plant, machine, setpoint);
    }

    /** One machine of a private copy of the plant. */
    private final class SimRun implements Run {
        private final SimulatedPlant plant;
        private final SimulatedAsset machine;
        private double setpoint;
        private double duty = 1;
        private double elapsed;

        SimRun(SimulatedPlant plant, SimulatedAsset machine, double setpoint) {
            this.plant = plant;
            this.machine = machine;
            this.setpoint = setpoint;
        }

        @Override
        public Cadence cadence() {
            return cadence;
        }

        @Override
        public void apply(Scenario scenario) {
            Double sp = scenario.setpoints().get(SimulatedPlant.SETPOINT_TAG);
            if (sp != null) {
                setpoint = sp;
            }
            for (String tag : scenario.setpoints().keySet()) {
                if (!tag.equals(SimulatedPlant.SETPOINT_TAG)) {
                    throw new IllegalArgumentException("setpoints: the simulated " + machine.name() + " has no writable tag '" + tag
                            + "' (only " + SimulatedPlant.SETPOINT_TAG + ")");
                }
            }
            if (!Double.isNaN(scenario.ambientC())) {
                machine.ambient(scenario.ambientC());
            }
            duty = scenario.dutyCycle();
            machine.setpoint(setpoint);
        }

        @Override
        public Step advance(double seconds) {
            // the duty cycle: on for duty × 24 h from midnight of each simulated day, stopped (setpoint 0) for the rest
            double inDay = elapsed % 86_400;
            machine.setpoint(inDay < duty * 86_400 ? setpoint : 0);
            boolean wasRunning = machine.running();
            double produced = machine.produced();
            double rejected = machine.rejected();
            double energy = machine.energyUsedKwh();
            machine.advance(seconds);
            elapsed += seconds;
            return new Step(machine.running(), wasRunning && !machine.running(), machine.produced() - produced, machine.energyUsedKwh() - energy,
                    machine.rejected() - rejected, machine.speedRpm(), machine.bearingTemperatureC(), Double.NaN);
        }

        @Override
        public List<Sample> sample(long timeMicros, boolean waveform) {
            return plant.read(machine, timeMicros, waveform ? cadence.waveformRateHz() : 0, cadence.waveformPoints());
        }
    }
}
