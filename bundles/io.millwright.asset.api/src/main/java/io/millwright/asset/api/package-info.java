/**
 * The plant's assets as configured (ISA-95 hierarchy site / area / line / asset / component, asset classes with their
 * tag templates, alarm definitions and runbooks, criticality, and per tag its canonical name and unit, range, expected
 * sampling interval and source channel) — {@link io.millwright.asset.api.AssetModel} — and each asset's digital twin:
 * reported and desired values, operating state, health and last maintenance — {@link io.millwright.asset.api.Twins}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.millwright.asset.api;
