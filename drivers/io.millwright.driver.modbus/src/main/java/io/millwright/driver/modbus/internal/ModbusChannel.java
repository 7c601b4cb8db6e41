package io.millwright.driver.modbus.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One configured Modbus channel. Text form, one per configuration entry:
 *
 * <pre>
 * asset/tag table:address type [order=ABCD] [scale=1] [offset=0] [unit=..] [min=..] [max=..] [writable]
 * pump-7/discharge_pressure holding:100 float32 order=CDAB unit=bar min=0 max=40
 * pump-7/running coil:12 bool writable
 * </pre>
 *
 * Engineering value = raw × scale + offset.
 *
 * @param id the channel
 * @param table the Modbus table
 * @param address zero-based address of the first bit or register
 * @param type the layout
 * @param order word and byte order of multi-byte values
 * @param scale multiplier to engineering units
 * @param offset added after scaling
 * @param unit engineering unit
 * @param min lowest plausible engineering value
 * @param max highest plausible engineering value
 * @param writable whether writes are allowed
 */
record ModbusChannel(ChannelId id, ModbusTable table, int address, ModbusType type, RegisterCodec.Order order, double scale,
        double offset, String unit, double min, double max, boolean writable) {

    /** @return registers or bits this channel occupies */
    int size() {
        return table.bits ? 1 : type.words;
    }

    int end() {
        return address + size();
    }

    /**
     * The engineering value of a raw register value: raw × scale + offset. For integer registers the result is
     * rounded to the decimals of scale and offset (the register's resolution), so 453 × 0.1 gives 45.3, not the
     * binary product 45.300000000000004; float registers keep their own precision.
     *
     * @param raw the decoded register value
     * @return the engineering value
     */
    double engineering(double raw) {
        double v = raw * scale + offset;
        if (type.isFloat()) {
            return v;
        }
        int decimals = Math.max(decimals(scale), decimals(offset));
        if (decimals <= 0 || decimals > 15) {
            return v;
        }
        double factor = Math.pow(10, decimals);
        double scaled = v * factor;
        return Math.abs(scaled) < 0x1p52 ? Math.rint(scaled) / factor : v;
    }

    private static int decimals(double d) {
        return Math.max(0, new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().scale());
    }

    ChannelDescriptor descriptor() {
        ValueType vt = type == ModbusType.BOOL ? ValueType.BOOLEAN
                : type.isFloat() || scale != 1 || offset != 0 ? ValueType.DOUBLE : ValueType.LONG;
        return new ChannelDescriptor(id, vt, unit, min, max, writable);
    }

    /**
     * Parses one channel.
     *
     * @throws IllegalArgumentException naming the channel text and what is wrong with it
     */
    static ModbusChannel parse(String text) {
        try {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 3) {
                throw new IllegalArgumentException("expected 'asset/tag table:address type [options]'");
            }
            ChannelId id = ChannelId.parse(parts[0]);
            String[] where = parts[1].split(":");
            if (where.length != 2) {
                throw new IllegalArgumentException("expected table:address, got '" + parts[1] + "'");
            }
            ModbusTable table = ModbusTable.parse(where[0]);
            int address;
            try {
                address = Integer.parseInt(where[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("address '" + where[1] + "' is not a number");
            }
            ModbusType type = ModbusType.parse(parts[2]);
            if (table.bits != (type == ModbusType.BOOL)) {
                throw new IllegalArgumentException(table.bits ? "a " + table.key + " is a bit: type must be bool"
                        : "a " + table.key + " register holds numbers: type bool is only for coil and discrete");
            }
            Map<String, String> opts = new HashMap<>();
            for (int i = 3; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (opts.put(kv[0], kv.length == 2 ? kv[1] : "true") != null) {
                    throw new IllegalArgumentException("option '" + kv[0] + "' given twice");
                }
            }
            RegisterCodec.Order order = RegisterCodec.Order.parse(opts.getOrDefault("order", "ABCD"));
            double scale = number(opts, "scale", 1);
            double offset = number(opts, "offset", 0);
            double min = number(opts, "min", Double.NEGATIVE_INFINITY);
            double max = number(opts, "max", Double.POSITIVE_INFINITY);
            boolean writable = Boolean.parseBoolean(opts.getOrDefault("writable", "false"));
            for (String key : opts.keySet()) {
                if (!List.of("order", "scale", "offset", "unit", "min", "max", "writable").contains(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "'");
                }
            }
            if (scale == 0 || !Double.isFinite(scale) || !Double.isFinite(offset)) {
                throw new IllegalArgumentException("scale must be finite and not 0, offset finite");
            }
            if (writable && !table.writable) {
                throw new IllegalArgumentException("a " + table.key + " cannot be written");
            }
            ModbusChannel c = new ModbusChannel(id, table, address, type, order, scale, offset, opts.getOrDefault("unit", ""), min, max,
                    writable);
            if (address < 0 || c.end() > 65536) {
                throw new IllegalArgumentException("address " + address + " with " + c.size() + " item(s) is outside 0..65535");
            }
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel '" + text.trim() + "': " + e.getMessage(), e);
        }
    }

    private static double number(Map<String, String> opts, String key, double dflt) {
        String v = opts.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a number");
        }
    }

    /**
     * Parses all channels of a device and checks them together.
     *
     * @throws IllegalArgumentException for a bad channel, a duplicate id, or overlapping addresses
     */
    static List<ModbusChannel> parseAll(String[] texts) {
        if (texts == null || texts.length == 0) {
            throw new IllegalArgumentException("no channels configured");
        }
        List<ModbusChannel> channels = new ArrayList<>();
        for (String t : texts) {
            channels.add(parse(t));
        }
        Map<ChannelId, ModbusChannel> byId = new HashMap<>();
        for (ModbusChannel c : channels) {
            if (byId.put(c.id(), c) != null) {
                throw new IllegalArgumentException("channel " + c.id() + " is configured twice");
            }
        }
        List<ModbusChannel> sorted = new ArrayList<>(channels);
        sorted.sort(Comparator.comparing(ModbusChannel::table).thenComparingInt(ModbusChannel::address));
        for (int i = 1; i < sorted.size(); i++) {
            ModbusChannel a = sorted.get(i - 1);
            ModbusChannel b = sorted.get(i);
            if (a.table() == b.table() && b.address() < a.end()) {
                throw new IllegalArgumentException("channels " + a.id() + " and " + b.id() + " overlap at " + b.table().key + ":" + b.address());
            }
        }
        return List.copyOf(channels);
    }
}
