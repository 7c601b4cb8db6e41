/**
 * Safe writes to the machine: the {@link io.millwright.write.api.WriteGuard} every setpoint write passes (REST, console,
 * MQTT commands, the optimizer), the {@link io.millwright.write.api.WritePolicy policy} of each writable tag (role,
 * bounds, step, rate of change, rate of requests, interlocks over the twin, read-back, two-person approval), the
 * {@link io.millwright.write.api.WriteRequest request} and what became of it ({@link io.millwright.write.api.WriteRecord}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.write.api;
