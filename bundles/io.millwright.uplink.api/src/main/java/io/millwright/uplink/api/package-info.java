/**
 * What an uplink (e.g. MQTT to the cloud) reports about itself, for the live view and for
 * commands. An uplink reads the journal through its own durable cursor and advances it only when
 * the other side acknowledged.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.millwright.uplink.api;
