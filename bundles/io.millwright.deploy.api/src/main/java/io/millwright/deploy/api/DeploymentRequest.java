package io.millwright.deploy.api;

import java.util.List;
import java.util.Objects;

/**
 * What a gateway should run beyond its base.
 *
 * @param repository the name of a configured repository ({@code io.millwright.deploy.repository~<name>})
 * @param bundles the bundles wanted; what they need comes from the same repository unless installed
 * @param configurations configurations to write once the bundles are staged
 * @param models model packages to put into the model folder once the bundles are started
 * @param expectDevices device ids that must reach ONLINE for the deployment to count as healthy (besides every
 *     {@code deviceId} property of the configurations)
 * @param allowRestart whether the deployment may update, refresh or restart a protected bundle (journal, ingest,
 *     uplink, web layer); refused otherwise
 * @param healthWindowSeconds how long the health checks may take to pass; 0 for the gateway's default
 */
public record DeploymentRequest(String repository, List<BundleSpec> bundles, List<ConfigurationSpec> configurations,
        List<ModelSpec> models, List<String> expectDevices, boolean allowRestart, int healthWindowSeconds) {
    /** Checks and copies. */
    public DeploymentRequest {
        Objects.requireNonNull(repository, "repository");
        bundles = List.copyOf(bundles == null ? List.of() : bundles);
        configurations = List.copyOf(configurations == null ? List.of() : configurations);
        models = List.copyOf(models == null ? List.of() : models);
        expectDevices = List.copyOf(expectDevices == null ? List.of() : expectDevices);
        if (bundles.isEmpty() && configurations.isEmpty() && models.isEmpty()) {
            throw new IllegalArgumentException("bundles: empty — a deployment names at least one bundle, configuration or model package");
        }
        if (healthWindowSeconds < 0 || healthWindowSeconds > 3600) {
            throw new IllegalArgumentException("healthWindowSeconds: " + healthWindowSeconds + " — expected 0 (the default) to 3600");
        }
    }
}
