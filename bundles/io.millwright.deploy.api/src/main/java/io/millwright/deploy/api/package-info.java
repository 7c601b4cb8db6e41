/**
 * Remote management of what a gateway runs beyond its base: a {@link io.millwright.deploy.api.DeploymentRequest
 * deployment} names bundles (by identity and version range) from a configured, signed repository and the configurations
 * they need; {@link io.millwright.deploy.api.Deployments} computes the change as a dry run, then downloads, verifies,
 * resolves, stages, starts and health-checks it, committing it or rolling back by itself, each phase reported.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.deploy.api;
