package io.millwright.quality.internal;

import io.millwright.api.ChannelId;
import java.util.List;

/**
 * One channel's data quality over one window (or the moment it went stale).
 *
 * @param channel the channel watched
 * @param timeMicros the window's end, or when staleness was found
 * @param status the most severe issue, or OK
 * @param issues every issue found, most severe first
 * @param samples samples in the window
 * @param badShare share of BAD samples
 * @param uncertainShare share of UNCERTAIN samples
 * @param outOfRangeShare share of numeric values outside the engineering range
 * @param duplicates samples whose source time equals the one before
 * @param timeRegressions samples whose source time is earlier than the one before
 * @param jitter coefficient of variation of the intervals between samples
 * @param staleSeconds for STALE: seconds since the last sample
 * @param lastSampleMicros source time of the newest sample
 */
record QualityReport(ChannelId channel, long timeMicros, QualityStatus status, List<QualityStatus> issues, int samples, double badShare,
        double uncertainShare, double outOfRangeShare, int duplicates, int timeRegressions, double jitter, double staleSeconds,
        long lastSampleMicros) {
}
