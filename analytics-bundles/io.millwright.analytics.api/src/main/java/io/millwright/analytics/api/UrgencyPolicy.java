package io.millwright.analytics.api;

import java.time.Duration;

/**
 * Maps remaining useful life to {@link Urgency}: CRITICAL below {@code critical}, WARNING below {@code warning},
 * NORMAL otherwise.
 *
 * @param critical the critical horizon
 * @param warning the warning horizon, longer than the critical one
 */
public record UrgencyPolicy(Duration critical, Duration warning) {

    /** The default: CRITICAL &lt; 48 h, WARNING &lt; 1 week. */
    public static final UrgencyPolicy DEFAULT = new UrgencyPolicy(Duration.ofHours(48), Duration.ofDays(7));

    /** Checks the horizons. */
    public UrgencyPolicy {
        if (critical.isNegative() || critical.isZero() || warning.compareTo(critical) <= 0) {
            throw new IllegalArgumentException("urgency horizons critical=" + critical + " warning=" + warning + ": need 0 < critical < warning");
        }
    }

    /**
     * @param remainingUsefulLife the estimate
     * @return its urgency
     */
    public Urgency of(Duration remainingUsefulLife) {
        if (remainingUsefulLife.compareTo(critical) < 0) {
            return Urgency.CRITICAL;
        }
        return remainingUsefulLife.compareTo(warning) < 0 ? Urgency.WARNING : Urgency.NORMAL;
    }

    /** @return e.g. {@code rul: CRITICAL<PT48H WARNING<PT168H} for lineage */
    public String describe() {
        return "rul: CRITICAL<" + critical + " WARNING<" + warning;
    }
}
