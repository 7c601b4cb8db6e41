/**
 * The driver SPI: how field drivers plug into the gateway.
 *
 * <p>A driver bundle creates one {@link io.millwright.driver.api.Device} per factory configuration
 * and registers it as an OSGi service (whiteboard). The device publishes its samples to the
 * platform's {@link io.millwright.driver.api.SampleSink}, which returns at once; when the sink is
 * full the batch is refused with {@link io.millwright.driver.api.SubmitResult#OVERRUN} and the device
 * defers its next poll and counts the overrun, so a gap is visible, never silent.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.driver.api;
