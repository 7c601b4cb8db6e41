package io.millwright.driver.plc4x.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.support.ChannelOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One PLC4X channel, from its text form
 * {@code asset/tag <address> [type=double|long|bool] [scale=] [offset=] [unit=] [min=] [max=] [writable]}, where the address
 * is in the syntax of the PLC4X protocol driver, e.g. {@code press-1/pressure holding-register:1:UINT scale=0.1 unit=bar}
 * (Modbus) or {@code line/speed %DB1.DBW0:INT} (S7). The address is checked by the protocol driver when the device first
 * finds it.
 *
 * @param id channel id
 * @param address the PLC4X tag address
 * @param type value type of the samples
 * @param scale factor applied to numeric values read (engineering = raw · scale + offset)
 * @param offset offset applied after the scale
 * @param unit engineering unit
 * @param min least valid (and writable) engineering value
 * @param max greatest valid (and writable) engineering value
 * @param writable whether writes are allowed
 */
record Plc4xChannel(ChannelId id, String address, ValueType type, double scale, double offset, String unit, double min, double max,
        boolean writable) {

    private static final List<String> OPTIONS = List.of("type", "scale", "offset", "unit", "min", "max", "writable");

    ChannelDescriptor descriptor() {
        return new ChannelDescriptor(id, type, unit, min, max, writable);
    }

    /** @return the request field name of this channel (PLC4X names every tag of a request) */
    String tagName() {
        return id.toString();
    }

    /**
     * @param text channel text
     * @return the channel
     * @throws IllegalArgumentException naming the channel and what is wrong
     */
    static Plc4xChannel parse(String text) {
        try {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("expected 'asset/tag address [options]'");
            }
            ChannelId id = ChannelId.parse(parts[0]);
            ChannelOptions o = ChannelOptions.parse(parts, 2, OPTIONS);
            ValueType type = switch (o.text("type", "double")) {
                case "double" -> ValueType.DOUBLE;
                case "long" -> ValueType.LONG;
                case "bool" -> ValueType.BOOLEAN;
                default -> throw new IllegalArgumentException("type '" + o.text("type", "") + "' is not one of double, long, bool");
            };
            double scale = o.number("scale", 1);
            double offset = o.number("offset", 0);
            double min = o.number("min", Double.NEGATIVE_INFINITY);
            double max = o.number("max", Double.POSITIVE_INFINITY);
            if (scale == 0 || !Double.isFinite(scale) || !Double.isFinite(offset)) {
                throw new IllegalArgumentException("scale=" + scale + " offset=" + offset + ": need a finite, non-zero scale and a finite offset");
            }
            if (type != ValueType.DOUBLE && (scale != 1 || offset != 0)) {
                throw new IllegalArgumentException("scale and offset need type=double");
            }
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
            return new Plc4xChannel(id, parts[1], type, scale, offset, o.text("unit", ""), min, max, o.flag("writable"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel '" + text.trim() + "': " + e.getMessage(), e);
        }
    }

    /**
     * @param texts channel texts
     * @return the channels
     * @throws IllegalArgumentException for a bad channel or a duplicate id
     */
    static List<Plc4xChannel> parseAll(String[] texts) {
        if (texts == null || texts.length == 0) {
            throw new IllegalArgumentException("no channels configured");
        }
        List<Plc4xChannel> out = new ArrayList<>();
        Map<ChannelId, Plc4xChannel> byId = new HashMap<>();
        for (String t : texts) {
            Plc4xChannel c = parse(t);
            if (byId.put(c.id(), c) != null) {
                throw new IllegalArgumentException("channel " + c.id() + " is configured twice");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }
}
