package io.millwright.asset.api;

import java.util.Locale;

/** What an asset is doing, derived from its tags by its class's {@link TwinRules} (maintenance is set by people). */
public enum OperatingState {
    /** running under load */
    RUNNING,
    /** running, but its load tag is below the class's idle threshold */
    IDLE,
    /** not running, no trip */
    STOPPED,
    /** not running because a protection tripped it (the trip tag names why) */
    TRIPPED,
    /** a person put it in maintenance */
    MAINTENANCE,
    /** no data yet */
    UNKNOWN;

    /** @return the lower-case name alarm definitions use in {@code suppressWhen} */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
