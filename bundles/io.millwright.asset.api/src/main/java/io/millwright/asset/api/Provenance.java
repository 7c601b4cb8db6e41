package io.millwright.asset.api;

/**
 * Where a source channel's values come from now.
 *
 * @param device the device's id
 * @param driver the driver's name
 * @param address the address in the device (register, node id, …) as the driver names it; empty if it does not say
 */
public record Provenance(String device, String driver, String address) {
}
