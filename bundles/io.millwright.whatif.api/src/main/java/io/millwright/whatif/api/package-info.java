/**
 * What-if simulation of an asset, engine-neutral: {@link io.millwright.whatif.api.AssetPhysics} (an SPI: advances an
 * asset's physical state under given operating conditions; a plant installs its own), {@link io.millwright.whatif.api.Scenario
 * scenarios} and the {@link io.millwright.whatif.api.WhatIf} service that runs them from the asset's current twin state,
 * scores the features its deployed model uses, and reports each scenario against the baseline. Never touches a device.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.millwright.whatif.api;
