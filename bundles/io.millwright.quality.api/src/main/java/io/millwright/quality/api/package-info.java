/**
 * Data quality per channel: the {@link io.millwright.quality.api.DataQuality} service reports, for every measured
 * channel, its status over the last window (stale, out of range, flatline, time regressions, duplicates, BAD or
 * UNCERTAIN share, jitter) and the figures behind it; the same status is journaled as {@code <asset>/q.<tag>}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.quality.api;
