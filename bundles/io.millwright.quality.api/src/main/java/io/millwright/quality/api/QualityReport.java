package io.millwright.quality.api;

import io.millwright.api.ChannelId;
import java.time.Instant;
import java.util.List;

/**
 * One channel's data quality over its last window (or from the moment it went stale).
 *
 * @param channel the channel watched
 * @param time the window's end, or when staleness was found
 * @param status the most severe issue, or OK: what {@code <asset>/q.<tag>} says
 * @param issues every issue found, most severe first (empty: OK)
 * @param samples samples in the window
 * @param badShare share of BAD samples
 * @param uncertainShare share of UNCERTAIN samples
 * @param outOfRangeShare share of numeric values outside the engineering range
 * @param duplicates samples whose source time equals the one before
 * @param timeRegressions samples whose source time is earlier than the one before
 * @param jitter coefficient of variation of the intervals between samples (0: too few to tell)
 * @param staleSeconds for STALE: seconds since the last sample, else 0
 * @param lastSample source time of the newest sample
 */
public record QualityReport(ChannelId channel, Instant time, QualityStatus status, List<QualityStatus> issues, int samples, double badShare,
        double uncertainShare, double outOfRangeShare, int duplicates, int timeRegressions, double jitter, double staleSeconds,
        Instant lastSample) {

    /** Copies the list. */
    public QualityReport {
        issues = List.copyOf(issues);
    }
}
