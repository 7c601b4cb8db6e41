package io.millwright.driver.opcua.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.support.ChannelOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * One OPC UA channel, from its text form
 * {@code asset/tag <nodeId> [type=double|long|bool|string] [sampling=ms] [queue=n] [deadband=x] [unit=] [min=] [max=] [writable]},
 * e.g. {@code press-1/oil_temperature ns=2;s=Press1.OilTemp unit=Cel sampling=500 deadband=0.1}.
 *
 * @param id channel id
 * @param node the variable's node id
 * @param type value type of the samples
 * @param samplingMs sampling interval in ms, -1 for the device default
 * @param queueSize monitored item queue size, 0 for the device default
 * @param deadband absolute deadband, 0 for none
 * @param unit engineering unit
 * @param min least valid (and writable) value
 * @param max greatest valid (and writable) value
 * @param writable whether writes are allowed
 */
record OpcUaChannel(ChannelId id, NodeId node, ValueType type, double samplingMs, int queueSize, double deadband, String unit, double min,
        double max, boolean writable) {

    private static final List<String> OPTIONS = List.of("type", "sampling", "queue", "deadband", "unit", "min", "max", "writable");

    ChannelDescriptor descriptor() {
        return new ChannelDescriptor(id, type, unit, min, max, writable);
    }

    /**
     * @param text channel text
     * @return the channel
     * @throws IllegalArgumentException naming the channel and what is wrong
     */
    static OpcUaChannel parse(String text) {
        try {
            String[] parts = text.trim().split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("expected 'asset/tag nodeId [options]'");
            }
            ChannelId id = ChannelId.parse(parts[0]);
            NodeId node = NodeId.parseOrNull(parts[1]);
            if (node == null) {
                throw new IllegalArgumentException("node id '" + parts[1] + "' is not valid (e.g. ns=2;s=Pump.Speed or ns=3;i=1001)");
            }
            ChannelOptions o = ChannelOptions.parse(parts, 2, OPTIONS);
            ValueType type = switch (o.text("type", "double")) {
                case "double" -> ValueType.DOUBLE;
                case "long" -> ValueType.LONG;
                case "bool" -> ValueType.BOOLEAN;
                case "string" -> ValueType.STRING;
                default -> throw new IllegalArgumentException("type '" + o.text("type", "") + "' is not one of double, long, bool, string");
            };
            double sampling = o.number("sampling", -1);
            double queue = o.number("queue", 0);
            double deadband = o.number("deadband", 0);
            double min = o.number("min", Double.NEGATIVE_INFINITY);
            double max = o.number("max", Double.POSITIVE_INFINITY);
            if (sampling != -1 && (sampling < 0 || sampling > 3_600_000)) {
                throw new IllegalArgumentException("sampling=" + sampling + ": must be 0..3600000 ms");
            }
            if (queue < 0 || queue > 10_000 || queue != Math.rint(queue)) {
                throw new IllegalArgumentException("queue=" + queue + ": must be a whole number 0..10000");
            }
            if (!(deadband >= 0) || !Double.isFinite(deadband)) {
                throw new IllegalArgumentException("deadband=" + deadband + ": must be >= 0");
            }
            if (deadband > 0 && (type == ValueType.BOOLEAN || type == ValueType.STRING)) {
                throw new IllegalArgumentException("a deadband needs a numeric type, not " + o.text("type", ""));
            }
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
            return new OpcUaChannel(id, node, type, sampling, (int) queue, deadband, o.text("unit", ""), min, max, o.flag("writable"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel '" + text.trim() + "': " + e.getMessage(), e);
        }
    }

    /**
     * @param texts channel texts
     * @return the channels
     * @throws IllegalArgumentException for a bad channel or a duplicate id
     */
    static List<OpcUaChannel> parseAll(String[] texts) {
        if (texts == null || texts.length == 0) {
            throw new IllegalArgumentException("no channels configured");
        }
        List<OpcUaChannel> out = new ArrayList<>();
        Map<ChannelId, OpcUaChannel> byId = new HashMap<>();
        for (String t : texts) {
            OpcUaChannel c = parse(t);
            if (byId.put(c.id(), c) != null) {
                throw new IllegalArgumentException("channel " + c.id() + " is configured twice");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }
}
