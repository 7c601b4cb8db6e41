/**
 * The bounded closed loop: an {@link io.millwright.optimizer.api.Optimizers optimizer} per asset, off by default, that an
 * engineer enables with an {@link io.millwright.optimizer.api.Envelope envelope}; it runs what-if over candidate setpoints
 * and applies the best through the write guard under its own identity, and stops and reverts to the last value a person
 * set on a priority-1 alarm, a model switch, a mismatch between projection and observation, a person's write, or the
 * kill switch.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.optimizer.api;
