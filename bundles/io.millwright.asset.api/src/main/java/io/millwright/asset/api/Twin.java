package io.millwright.asset.api;

import java.util.List;
import java.util.Map;

/**
 * The digital twin of one asset: what it reports, what is asked of it, what it is doing, how healthy it is.
 *
 * @param asset the asset's id
 * @param reported latest value, quality and time per tag (canonical units)
 * @param desired setpoints: requested, pending or confirmed
 * @param operatingState what the asset is doing
 * @param operatingSinceMs since when, epoch milliseconds
 * @param health data quality, alarms, remaining useful life
 * @param maintenance the maintenance in progress, or null
 * @param lastMaintenance the last finished maintenance, or null
 * @param updatedMs when the twin last changed, epoch milliseconds
 */
public record Twin(String asset, List<Reported> reported, List<Desired> desired, OperatingState operatingState,
        long operatingSinceMs, Health health, Maintenance maintenance, Maintenance lastMaintenance, long updatedMs) {

    /** Copies the lists. */
    public Twin {
        reported = List.copyOf(reported);
        desired = List.copyOf(desired);
    }

    /**
     * A tag's latest value.
     *
     * @param tag the canonical tag name
     * @param number the value in the canonical unit (NaN for text, or for a waveform its RMS)
     * @param text the value as text (booleans, states), empty for numbers
     * @param unit the canonical unit
     * @param quality GOOD, UNCERTAIN or BAD
     * @param reason why the quality is not GOOD
     * @param timeMs source time, epoch milliseconds
     * @param stale whether no sample arrived for more than 3 expected intervals
     */
    public record Reported(String tag, double number, String text, String unit, String quality, String reason, long timeMs,
            boolean stale) {
    }

    /**
     * A setpoint.
     *
     * @param tag the writable tag
     * @param value the value asked for (or confirmed)
     * @param unit its unit
     * @param status {@code awaiting-approval}, {@code pending} (sent, the device's read-back awaited) or {@code confirmed} (the
     *        device reports that value)
     * @param timeMs when it reached that status
     * @param by who asked (empty when the device's own value is shown)
     */
    public record Desired(String tag, double value, String unit, String status, long timeMs, String by) {
    }

    /**
     * How healthy the asset is.
     *
     * @param goodShare share of the asset's tags whose latest sample is GOOD and not stale, 0-1
     * @param staleTags tags with no sample for more than 3 expected intervals
     * @param badTags tags whose latest sample is BAD
     * @param activeAlarms annunciated alarms per priority (1-4)
     * @param rul remaining useful life as the model gives it (NaN if none)
     * @param rulUnit its unit
     * @param urgency NORMAL, WARNING or CRITICAL (empty if no model scores the asset)
     * @param model the scoring model's id and version ({@code id@version}), empty if none
     */
    public record Health(double goodShare, List<String> staleTags, List<String> badTags, Map<Integer, Integer> activeAlarms,
            double rul, String rulUnit, String urgency, String model) {
        /** Copies the collections. */
        public Health {
            staleTags = List.copyOf(staleTags);
            badTags = List.copyOf(badTags);
            activeAlarms = Map.copyOf(activeAlarms);
        }
    }

    /**
     * A maintenance period.
     *
     * @param startedMs when it began, epoch milliseconds
     * @param endedMs when it ended, 0 while in progress
     * @param by who started it
     * @param note what is done
     * @param endedBy who ended it (empty while in progress)
     * @param endNote what was done
     */
    public record Maintenance(long startedMs, long endedMs, String by, String note, String endedBy, String endNote) {
    }
}
