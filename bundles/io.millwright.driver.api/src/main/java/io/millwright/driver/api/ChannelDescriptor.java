package io.millwright.driver.api;

import io.millwright.api.ChannelId;
import io.millwright.api.ValueType;
import java.util.Objects;

/**
 * What a device declares about one of its channels. Ingest checks samples against it: a sample
 * of another type is rejected and counted; a number outside {@code [min, max]} is kept with BAD
 * quality.
 *
 * @param id the channel
 * @param type the type of its values
 * @param unit the canonical engineering unit (UCUM-like text, e.g. {@code Cel}, {@code rpm}, {@code m/s2}); empty if none
 * @param min lowest plausible value (engineering bound), {@code -Infinity} if none
 * @param max highest plausible value (engineering bound), {@code +Infinity} if none
 * @param writable whether {@link Device#write} accepts values for it
 */
public record ChannelDescriptor(ChannelId id, ValueType type, String unit, double min, double max, boolean writable) {
    /** Requires id and type; checks that min does not exceed max. */
    public ChannelDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        unit = unit == null ? "" : unit;
        if (min > max) {
            throw new IllegalArgumentException("channel " + id + ": min " + min + " > max " + max);
        }
    }

    /**
     * A read-only channel without bounds.
     *
     * @param id the channel
     * @param type the type
     * @param unit the unit
     * @return the descriptor
     */
    public static ChannelDescriptor of(ChannelId id, ValueType type, String unit) {
        return new ChannelDescriptor(id, type, unit, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
    }

    /**
     * @param value a number
     * @return true if it lies within the engineering bounds
     */
    public boolean inRange(double value) {
        return value >= min && value <= max;
    }
}
