package io.millwright.kpi.api;

/** The periods KPIs are reported over. */
public enum Granularity {
    /** the reader's storage bucket ({@code bucketMinutes}) */
    BUCKET,
    /** clock hours in the configured time zone */
    HOUR,
    /** the shifts of the configured calendar */
    SHIFT,
    /** calendar days in the configured time zone */
    DAY
}
