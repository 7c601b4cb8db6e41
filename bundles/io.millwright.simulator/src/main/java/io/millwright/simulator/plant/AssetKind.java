package io.millwright.simulator.plant;

/**
 * Nameplate figures of the simulated machine types. Speeds in rpm, power in kW, current in A at
 * 400 V, temperatures in °C, vibration amplitudes in m/s².
 */
enum AssetKind {
    /** Centrifugal pump: flow ∝ n, head ∝ n², power ∝ n³ (affinity laws). */
    CENTRIFUGAL_PUMP(1480, 1800, 18.5, 33, 42, 68, 0.8, 3.57, "m3/h", 120, 4.2),
    /** Induction motor driving a conveyor: torque roughly constant, power ∝ n. */
    ELECTRIC_MOTOR(1485, 1800, 30, 55, 45, 75, 0.6, 3.05, "", 0, 0),
    /** Screw compressor: flow ∝ n, discharge pressure held near 7.5 bar, power ∝ n. */
    COMPRESSOR(2950, 3600, 55, 95, 50, 82, 1.1, 4.12, "m3/min", 10, 7.5);

    final double nominalSpeed;
    final double maxSpeed;
    final double nominalPowerKw;
    final double nominalCurrent;
    final double bearingTempRise;
    final double windingTempRise;
    final double shaftVibration;
    /** Outer-race defect frequency as a multiple of shaft frequency. */
    final double bpfoOrder;
    final String flowUnit;
    final double nominalFlow;
    final double nominalPressureBar;

    AssetKind(double nominalSpeed, double maxSpeed, double nominalPowerKw, double nominalCurrent, double bearingTempRise,
            double windingTempRise, double shaftVibration, double bpfoOrder, String flowUnit, double nominalFlow,
            double nominalPressureBar) {
        this.nominalSpeed = nominalSpeed;
        this.maxSpeed = maxSpeed;
        this.nominalPowerKw = nominalPowerKw;
        this.nominalCurrent = nominalCurrent;
        this.bearingTempRise = bearingTempRise;
        this.windingTempRise = windingTempRise;
        this.shaftVibration = shaftVibration;
        this.bpfoOrder = bpfoOrder;
        this.flowUnit = flowUnit;
        this.nominalFlow = nominalFlow;
        this.nominalPressureBar = nominalPressureBar;
    }

    /** Power at speed ratio r = n / nominal. */
    double powerKw(double r) {
        return this == CENTRIFUGAL_PUMP ? nominalPowerKw * r * r * r : nominalPowerKw * r;
    }
}
