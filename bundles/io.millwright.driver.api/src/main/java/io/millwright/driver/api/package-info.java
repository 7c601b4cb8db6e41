/**
 * The driver SPI: how field drivers plug into the gateway.
 *
 * <p>A driver bundle creates one {@link io.millwright.driver.api.Device} per factory configuration
 * and registers it as an OSGi service (whiteboard). The device publishes its samples to ingest
 * ({@code io.millwright.ingest.api.SampleSink}). Version 2.0: the sink, its results and ingest's figures moved to
 * {@code io.millwright.ingest.api}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package io.millwright.driver.api;
