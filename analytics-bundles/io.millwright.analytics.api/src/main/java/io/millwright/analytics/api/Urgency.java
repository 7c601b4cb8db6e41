package io.millwright.analytics.api;

/** How soon maintenance must act on a remaining-useful-life estimate. */
public enum Urgency {
    /** Act now: failure expected within the critical horizon (default 48 h). */
    CRITICAL,
    /** Plan: failure expected within the warning horizon (default one week). */
    WARNING,
    /** No action needed. */
    NORMAL
}
