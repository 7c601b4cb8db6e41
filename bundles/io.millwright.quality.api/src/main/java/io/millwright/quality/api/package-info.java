/**
 * Data quality per channel: the {@link io.millwright.quality.api.DataQuality} service reports, for every measured
 * channel, its status over the last window (stale, out of range, flatline, time regressions, duplicates, BAD or
 * UNCERTAIN share, jitter, drift) and the figures behind it; the same status is journaled as {@code <asset>/q.<tag>}.
 * Measurements with a physical-consistency rule in their asset class are also judged against what the rule expects
 * ({@link io.millwright.quality.api.ConsistencyReport}): a drifting sensor told from a changing machine.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.millwright.quality.api;
