package io.millwright.deploy.api;

import java.util.Objects;

/**
 * A bundle a deployment wants.
 *
 * @param name the bundle's symbolic name
 * @param version an OSGi version range ({@code [1.0,2)}, or {@code 1.2} for 1.2 and later); the highest in range wins
 */
public record BundleSpec(String name, String version) {
    /** Checks the name; an empty version means any. */
    public BundleSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("bundles.name: empty — expected a bundle's symbolic name");
        }
        version = version == null || version.isBlank() ? "0" : version.strip();
    }
}
