package io.millwright.whatif.api;

import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Runs scenarios for an asset from its current twin state, on the service's own threads, within a time bound. */
@ProviderType
public interface WhatIf {

    /**
     * @param asset the asset
     * @param scenarios what to try (at most the configured number; the baseline is added first)
     * @param horizon how far ahead, plant time
     * @return the report, also journaled as the asset's {@code whatif.report} channel
     * @throws java.util.NoSuchElementException for an unknown asset
     * @throws IllegalArgumentException for a bad horizon, too many scenarios or a setpoint of a tag that is not writable,
     *         naming the value
     * @throws IllegalStateException if no physics models the asset, or the run took longer than allowed
     */
    WhatIfReport run(String asset, List<Scenario> scenarios, Duration horizon);
}
