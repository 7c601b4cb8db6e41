package io.millwright.api;

import java.util.Objects;

/**
 * Quality of a sample: a level and, unless it is {@link QualityLevel#GOOD}, the reason.
 *
 * @param level the level
 * @param reason why the value is not good; empty for {@link #GOOD}
 */
public record Quality(QualityLevel level, String reason) {

    /** A good value. */
    public static final Quality GOOD = new Quality(QualityLevel.GOOD, "");

    /** Requires a level; a missing reason becomes empty. */
    public Quality {
        Objects.requireNonNull(level, "level");
        reason = reason == null ? "" : reason;
    }

    /**
     * @param reason why the value must not be used
     * @return a BAD quality
     */
    public static Quality bad(String reason) {
        return new Quality(QualityLevel.BAD, reason);
    }

    /**
     * @param reason why the value is doubtful
     * @return an UNCERTAIN quality
     */
    public static Quality uncertain(String reason) {
        return new Quality(QualityLevel.UNCERTAIN, reason);
    }

    /** @return true if the level is GOOD */
    public boolean isGood() {
        return level == QualityLevel.GOOD;
    }
}
