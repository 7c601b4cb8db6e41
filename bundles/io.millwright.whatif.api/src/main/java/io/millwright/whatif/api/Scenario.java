package io.millwright.whatif.api;

import java.util.Map;
import java.util.Objects;

/**
 * Operating conditions to try.
 *
 * @param name the scenario's name (1-40 of [A-Za-z0-9 ._-])
 * @param setpoints writable tags and their values in the canonical unit (e.g. {@code speed_setpoint} → 1600); tags not
 *        named keep their current value
 * @param ambientC ambient temperature, °C (NaN: as the physics assumes)
 * @param dutyCycle share of each day the asset runs, 0 &lt; d ≤ 1 (1: continuously)
 */
public record Scenario(String name, Map<String, Double> setpoints, double ambientC, double dutyCycle) {

    /** Checks the name and the duty cycle; names the bad value. */
    public Scenario {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9 ._-]{1,40}")) {
            throw new IllegalArgumentException("name: '" + name + "' — 1-40 of letters, digits, space, . _ -");
        }
        setpoints = Map.copyOf(setpoints);
        for (Map.Entry<String, Double> e : setpoints.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("setpoints: " + e.getKey() + " = " + e.getValue() + " is not a finite number");
            }
        }
        if (!(dutyCycle > 0 && dutyCycle <= 1)) {
            throw new IllegalArgumentException("dutyCycle: " + dutyCycle + " — must be > 0 and <= 1");
        }
        if (!Double.isNaN(ambientC) && (ambientC < -40 || ambientC > 60)) {
            throw new IllegalArgumentException("ambientC: " + ambientC + " — must be between -40 and 60 °C");
        }
    }

    /** @return the baseline: the asset as it runs now */
    public static Scenario baseline() {
        return new Scenario("baseline", Map.of(), Double.NaN, 1);
    }
}
