package io.millwright.write.api;

import io.millwright.identity.api.Role;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The rules one writable tag's writes must pass. Values are in the tag's canonical unit (the asset model's).
 *
 * @param asset the asset
 * @param tag the writable tag
 * @param role the least role that may request a write
 * @param min least value that may be written (required)
 * @param max greatest value that may be written (required)
 * @param maxStep largest change from the current value in one write, 0 for no limit
 * @param maxChangePerMinute largest sum of changes written within any 60 s, 0 for no limit
 * @param maxRequestsPerMinute most writes sent to the device within any 60 s, 0 for no limit
 * @param interlocks conditions over the twin that must hold ({@link Interlock} text forms)
 * @param readBackTimeout how long the device has to report the written value
 * @param readBackTolerance how far the reported value may lie from the written one
 * @param approval whether a second person (an engineer, not the requester) must approve each write
 */
public record WritePolicy(String asset, String tag, Role role, double min, double max, double maxStep, double maxChangePerMinute,
        int maxRequestsPerMinute, List<Interlock> interlocks, Duration readBackTimeout, double readBackTolerance, boolean approval) {

    /** Checks the bounds and limits; names the bad value. */
    public WritePolicy {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(role, "role");
        interlocks = List.copyOf(interlocks);
        Objects.requireNonNull(readBackTimeout, "readBackTimeout");
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException(asset + "/" + tag + ": min " + min + " and max " + max
                    + " must be finite with min <= max (bounds are required for every writable tag)");
        }
        if (!(maxStep >= 0) || !(maxChangePerMinute >= 0) || maxRequestsPerMinute < 0) {
            throw new IllegalArgumentException(asset + "/" + tag + ": maxStep " + maxStep + ", maxChangePerMinute " + maxChangePerMinute
                    + " and maxRequestsPerMinute " + maxRequestsPerMinute + " must be >= 0 (0: no limit)");
        }
        if (!(readBackTolerance >= 0) || readBackTimeout.isNegative() || readBackTimeout.isZero()) {
            throw new IllegalArgumentException(asset + "/" + tag + ": readBackTolerance " + readBackTolerance + " must be >= 0 and "
                    + "readBackTimeout " + readBackTimeout + " > 0");
        }
        if (role == Role.VIEWER) {
            throw new IllegalArgumentException(asset + "/" + tag + ": role viewer may not write; operator, engineer or admin");
        }
    }

    /** @return {@code asset/tag} */
    public String target() {
        return asset + "/" + tag;
    }
}
