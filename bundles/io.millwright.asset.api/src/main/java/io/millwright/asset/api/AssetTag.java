package io.millwright.asset.api;

import io.millwright.api.ChannelId;
import java.util.Objects;

/**
 * One tag of one asset: its canonical name and unit, where its values come from and how they convert.
 *
 * @param name the canonical tag name
 * @param source the device channel it is read from (the journal's channel)
 * @param unit the canonical unit, empty if none
 * @param deviceUnit the unit the device reports in (the channel's declared unit, or the configured one)
 * @param scale canonical = device value × scale + offset (from the units library; 1 when the units are the same)
 * @param offset see {@code scale}
 * @param min lower end of the engineering range in the canonical unit
 * @param max upper end of the engineering range in the canonical unit
 * @param expectedIntervalMs how often a sample is expected, 0 if not known
 * @param component the component of the asset it belongs to (e.g. {@code drive-end-bearing}), empty if the asset itself
 * @param writable whether the device accepts writes to its source (a setpoint)
 */
public record AssetTag(String name, ChannelId source, String unit, String deviceUnit, double scale, double offset, double min,
        double max, long expectedIntervalMs, String component, boolean writable) {

    /** Requires name and source; missing texts become empty. */
    public AssetTag {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        unit = unit == null ? "" : unit;
        deviceUnit = deviceUnit == null ? "" : deviceUnit;
        component = component == null ? "" : component;
    }

    /**
     * @param deviceValue a value as the device reports it
     * @return the value in the canonical unit
     */
    public double toCanonical(double deviceValue) {
        return deviceValue * scale + offset;
    }

    /**
     * @param canonical a value in the canonical unit
     * @return the value in the device's unit
     */
    public double toDevice(double canonical) {
        return (canonical - offset) / scale;
    }

    /**
     * @param canonical a value in the canonical unit
     * @return true if it lies within the engineering range
     */
    public boolean inRange(double canonical) {
        return canonical >= min && canonical <= max;
    }
}
