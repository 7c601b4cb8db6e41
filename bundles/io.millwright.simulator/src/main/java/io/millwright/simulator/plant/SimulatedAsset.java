package io.millwright.simulator.plant;

import java.util.SplittableRandom;

/**
 * One simulated machine: speed follows its setpoint, temperatures follow load with thermal lag,
 * vibration is synthesised from shaft, electrical and bearing-defect components. If it carries a
 * bearing fault, the fault starts at 30 % of its life and grows (faster at higher speed) until the
 * machine trips; after the repair time it runs again with a new bearing.
 *
 * <p>Deterministic: the same seed and the same sequence of ticks give the same values.
 * Not thread-safe: the device's lane (or an offline run) owns it.
 */
public final class SimulatedAsset {

    static final double AMBIENT = 25.0;
    private static final double SPEED_TAU_S = 3.0;
    private static final double THERMAL_TAU_S = 60.0;

    final String name;
    final AssetKind kind;
    private final SplittableRandom random;
    private final boolean faulty;
    private final double lifeSeconds;
    private final double repairSeconds;

    private double ambient = AMBIENT;
    private double setpoint;
    private double speed;
    private double bearingTemp = AMBIENT + 5;
    private double windingTemp = AMBIENT + 5;
    private double production;
    private double rejects;
    private double energyKwh;
    private double faultAge;
    private double downFor;
    private boolean running = true;
    private String tripReason = "";
    private long failures;

    SimulatedAsset(String name, AssetKind kind, long seed, boolean faulty, double lifeSeconds, double repairSeconds) {
        this.name = name;
        this.kind = kind;
        this.random = new SplittableRandom(seed ^ name.hashCode());
        this.faulty = faulty;
        this.lifeSeconds = lifeSeconds;
        this.repairSeconds = repairSeconds;
        this.setpoint = kind.nominalSpeed;
        this.speed = kind.nominalSpeed;
    }

    /** Advances the machine by dt seconds of simulated time. */
    void step(double dt) {
        if (!running) {
            downFor += dt;
            if (downFor >= repairSeconds) {
                running = true;
                tripReason = "";
                faultAge = 0;
                downFor = 0;
            }
        }
        double target = running ? setpoint : 0;
        speed += (target - speed) * (1 - Math.exp(-dt / SPEED_TAU_S));
        double r = ratio();
        if (running && faulty) {
            faultAge += dt * r * r * r;
            if (severity() >= 1.0) {
                running = false;
                failures++;
                tripReason = "bearing failure: outer race defect";
            }
        }
        double load = kind.powerKw(r) / kind.nominalPowerKw;
        double bearingTarget = ambient + kind.bearingTempRise * (0.3 + 0.7 * r * r) * (speed > 1 ? 1 : 0.2)
                + 30 * severity() * Math.min(1, r);
        double windingTarget = ambient + kind.windingTempRise * (0.2 + 0.8 * load * load) * (speed > 1 ? 1 : 0.2);
        double k = 1 - Math.exp(-dt / THERMAL_TAU_S);
        bearingTemp += (bearingTarget - bearingTemp) * k;
        windingTemp += (windingTarget - windingTemp) * k;
        double made = outputPerSecond() * dt;
        production += made;
        // a worn bearing shakes the line: the conveyor's reject gate kicks out more parts as the fault grows
        rejects += made * (0.005 + 0.2 * severity());
        if (speed > 1) {
            energyKwh += kind.powerKw(r) * dt / 3600;
        }
    }

    /**
     * Puts the machine in a given state (a what-if run starts from what the twin reports).
     *
     * @param speedRpm its speed
     * @param setpointRpm its speed setpoint
     * @param bearingTemperatureC bearing temperature
     * @param windingTemperatureC winding temperature
     * @param faultAgeSeconds the bearing's wear in seconds of nominal-speed running (0: new; failure at the life)
     */
    public void startFrom(double speedRpm, double setpointRpm, double bearingTemperatureC, double windingTemperatureC, double faultAgeSeconds) {
        this.speed = Math.max(0, speedRpm);
        this.setpoint = Math.max(0, setpointRpm);
        this.bearingTemp = bearingTemperatureC;
        this.windingTemp = windingTemperatureC;
        this.faultAge = Math.max(0, Math.min(lifeSeconds, faultAgeSeconds));
        this.running = true;
        this.downFor = 0;
        this.tripReason = "";
    }

    /** @param celsius the ambient temperature from now on (25 °C unless set) */
    public void ambient(double celsius) {
        this.ambient = celsius;
    }

    /** @param dtSeconds simulated seconds to advance (a what-if run steps one machine) */
    public void advance(double dtSeconds) {
        step(dtSeconds);
    }

    /** @return simulated seconds from a new bearing to failure at nominal speed */
    public double lifeSeconds() {
        return lifeSeconds;
    }

    /** @return whether this machine's bearing develops the fault */
    public boolean faulty() {
        return faulty;
    }

    /** @return units produced so far (litres, or parts for the conveyor's motor), not rounded */
    public double produced() {
        return production;
    }

    /** @return units rejected so far, not rounded */
    public double rejected() {
        return rejects;
    }

    /** @return electrical energy used so far, kWh */
    public double energyUsedKwh() {
        return energyKwh;
    }

    /** @return the bearing temperature without measurement noise, °C */
    public double bearingTemperatureC() {
        return bearingTemp;
    }

    /** @return the speed without measurement noise, rpm */
    public double speedRpm() {
        return speed;
    }

    /** @return the asset's name, e.g. pump-1 */
    public String name() {
        return name;
    }

    /** @return nominal speed, rpm */
    public double nominalSpeed() {
        return kind.nominalSpeed;
    }

    /** @return outer-race defect frequency as a multiple of shaft frequency */
    public double bpfoOrder() {
        return kind.bpfoOrder;
    }

    /** @return speed / nominal speed */
    double ratio() {
        return Math.max(0, speed / kind.nominalSpeed);
    }

    /** @return bearing fault severity, 0 (healthy) to 1 (failed) */
    public double severity() {
        if (!faulty) {
            return 0;
        }
        double onset = 0.3 * lifeSeconds;
        if (faultAge <= onset) {
            return 0;
        }
        double x = (faultAge - onset) / (lifeSeconds - onset);
        return Math.min(1.0, x * x);
    }

    /** @return remaining life at the current speed, in simulated seconds (ground truth for tests and training) */
    public double remainingLifeSeconds() {
        if (!faulty) {
            return Double.POSITIVE_INFINITY;
        }
        double r = Math.max(ratio(), 1e-3);
        return Math.max(0, lifeSeconds - faultAge) / (r * r * r);
    }

    private double outputPerSecond() {
        double r = ratio();
        return switch (kind) {
            case CENTRIFUGAL_PUMP -> kind.nominalFlow * r / 3.6; // litres per second
            case ELECTRIC_MOTOR -> 2.0 * r; // conveyed parts per second
            case COMPRESSOR -> kind.nominalFlow * r * 1000 / 60; // litres of free air per second
        };
    }

    /** Transmitters read no less than 0 (a tachometer, a current transformer, a flow meter's low-flow cut-off). */
    double speed() {
        return Math.max(0, speed + noise(0.5));
    }

    double setpoint() {
        return setpoint;
    }

    /** @param rpm the new speed setpoint */
    public void setpoint(double rpm) {
        setpoint = rpm;
    }

    double current() {
        double r = ratio();
        double magnetising = 0.3 * kind.nominalCurrent;
        double active = kind.nominalCurrent * kind.powerKw(r) / kind.nominalPowerKw;
        return Math.max(0, (speed > 1 ? Math.hypot(magnetising, active) : 0) + noise(0.2));
    }

    double bearingTemperature() {
        return bearingTemp + noise(0.1);
    }

    double windingTemperature() {
        return windingTemp + noise(0.1);
    }

    double flow() {
        return Math.max(0, kind.nominalFlow * ratio() + noise(0.01 * kind.nominalFlow));
    }

    double pressureBar() {
        double r = ratio();
        double p = kind == AssetKind.CENTRIFUGAL_PUMP ? kind.nominalPressureBar * r * r : kind.nominalPressureBar * Math.min(1, r * 1.2);
        return Math.max(0, p + noise(0.02));
    }

    double dischargeTemperature() {
        return ambient + 60 * ratio() + 0.5 * (windingTemp - ambient) + noise(0.2);
    }

    /** @return false while tripped and under repair */
    public boolean running() {
        return running;
    }

    String tripReason() {
        return tripReason;
    }

    /** @return bearing failures so far */
    public long failures() {
        return failures;
    }

    long productionCount() {
        return (long) production;
    }

    /** @return parts rejected so far (counted for the conveyor's motor) */
    long rejectCount() {
        return (long) rejects;
    }

    /** @return electrical energy used so far, kWh */
    double energyKwh() {
        return energyKwh;
    }

    /**
     * Synthesises a block of vibration acceleration.
     *
     * @param rateHz sample rate
     * @param points number of points
     * @return acceleration in m/s²
     */
    double[] vibration(double rateHz, int points) {
        double r = ratio();
        double shaftHz = speed / 60.0;
        double s = severity();
        double a1 = kind.shaftVibration * r * r;
        double defect = (0.05 + 4.0 * Math.pow(s, 1.5)) * Math.min(1, r);
        double electrical = kind == AssetKind.ELECTRIC_MOTOR || kind == AssetKind.COMPRESSOR ? 0.15 * Math.min(1, r * 5) : 0;
        double noiseSigma = (0.05 + 0.25 * s) * Math.max(0.1, r);
        double phase1 = random.nextDouble() * 2 * Math.PI;
        double phaseD = random.nextDouble() * 2 * Math.PI;
        double[] x = new double[points];
        for (int i = 0; i < points; i++) {
            double t = i / rateHz;
            double v = a1 * Math.sin(2 * Math.PI * shaftHz * t + phase1)
                    + 0.3 * a1 * Math.sin(4 * Math.PI * shaftHz * t + 2 * phase1)
                    + electrical * Math.sin(2 * Math.PI * 100 * t);
            double fd = kind.bpfoOrder * shaftHz;
            double modulation = 1 + 0.5 * Math.sin(2 * Math.PI * shaftHz * t);
            for (int h = 1; h <= 3; h++) {
                v += defect / h * modulation * Math.sin(2 * Math.PI * h * fd * t + h * phaseD);
            }
            x[i] = v + noiseSigma * gaussian();
        }
        return x;
    }

    /** @return the outer-race defect frequency at the current speed, Hz */
    double defectFrequencyHz() {
        return kind.bpfoOrder * speed / 60.0;
    }

    private double noise(double sigma) {
        return sigma * gaussian();
    }

    private double gaussian() {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
