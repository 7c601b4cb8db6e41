package io.millwright.deploy.api;

import java.util.Map;
import java.util.Objects;

/**
 * A configuration a deployment writes (a factory configuration {@code <factoryPid>~<name>}); a rollback removes it or
 * restores what it replaced.
 *
 * @param factoryPid the factory PID, e.g. {@code io.millwright.driver.modbus}
 * @param name the configuration's name, e.g. {@code line-2}
 * @param properties its properties (strings, numbers, booleans)
 */
public record ConfigurationSpec(String factoryPid, String name, Map<String, Object> properties) {
    /** Checks the names and copies the properties. */
    public ConfigurationSpec {
        Objects.requireNonNull(factoryPid, "factoryPid");
        Objects.requireNonNull(name, "name");
        if (!factoryPid.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("configurations.factoryPid: '" + factoryPid + "' — expected a PID such as io.millwright.driver.modbus");
        }
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("configurations.name: '" + name + "' — expected letters, digits, '.', '_' or '-'");
        }
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    /** @return the configuration's PID, {@code <factoryPid>~<name>} */
    public String pid() {
        return factoryPid + "~" + name;
    }
}
