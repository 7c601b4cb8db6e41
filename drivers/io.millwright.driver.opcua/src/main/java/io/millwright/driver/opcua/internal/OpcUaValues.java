package io.millwright.driver.opcua.internal;

import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/** OPC UA data values ↔ Millwright samples: status codes to quality, source timestamps kept. */
final class OpcUaValues {

    private OpcUaValues() {
    }

    /**
     * @param code a status code
     * @return its symbolic name, e.g. {@code Bad_NodeIdUnknown}, or the hex code
     */
    static String name(StatusCode code) {
        return org.eclipse.milo.opcua.stack.core.StatusCodes.lookup(code.getValue()).map(s -> s[0]).orElse(String.format("0x%08X", code.getValue()));
    }

    /**
     * Good → GOOD; Uncertain → UNCERTAIN and Bad → BAD, each with the code's name as the reason.
     *
     * @param code status code
     * @return quality
     */
    static Quality quality(StatusCode code) {
        if (code.isGood()) {
            return Quality.GOOD;
        }
        String reason = "OPC UA " + name(code);
        return code.isUncertain() ? Quality.uncertain(reason) : Quality.bad(reason);
    }

    /**
     * Converts a data value: the sample keeps the source timestamp (else the server's, else
     * {@code nowMicros}); a value that does not fit the channel's type becomes a BAD sample that says so.
     *
     * @param channel the channel
     * @param dv the data value
     * @param nowMicros receive time
     * @return the sample
     */
    static Sample sample(OpcUaChannel channel, DataValue dv, long nowMicros) {
        long t = micros(dv.getSourceTime());
        if (t <= 0) {
            t = micros(dv.getServerTime());
        }
        if (t <= 0) {
            t = nowMicros;
        }
        Quality q = quality(dv.getStatusCode());
        Object raw = dv.getValue() == null ? null : dv.getValue().getValue();
        Value v = convert(channel.type(), raw);
        if (v == null) {
            Quality bad = raw == null && !q.isGood() ? q
                    : Quality.bad("OPC UA value " + (raw == null ? "null" : raw.getClass().getSimpleName() + " " + raw) + " is not a "
                            + channel.type().name().toLowerCase());
            return Sample.of(channel.id(), t, placeholder(channel.type()), bad);
        }
        return Sample.of(channel.id(), t, v, q);
    }

    private static long micros(DateTime time) {
        if (time == null || time.isNull() || !time.isValid()) {
            return 0;
        }
        java.time.Instant i = time.getJavaInstant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    static Value placeholder(ValueType type) {
        return switch (type) {
            case BOOLEAN -> Value.of(false);
            case LONG -> Value.of(0L);
            case STRING -> Value.of("");
            default -> Value.of(Double.NaN);
        };
    }

    private static Value convert(ValueType type, Object raw) {
        if (raw == null) {
            return null;
        }
        Number n = number(raw);
        return switch (type) {
            case DOUBLE -> n != null ? Value.of(n.doubleValue()) : raw instanceof Boolean b ? Value.of(b ? 1.0 : 0.0) : null;
            case LONG -> n != null && !(raw instanceof Double) && !(raw instanceof Float) ? Value.of(n.longValue()) : null;
            case BOOLEAN -> raw instanceof Boolean b ? Value.of(b) : null;
            case STRING -> Value.of(raw.toString());
            default -> null;
        };
    }

    private static Number number(Object raw) {
        if (raw instanceof Number n) {
            return n;
        }
        if (raw instanceof UByte u) {
            return u.intValue();
        }
        if (raw instanceof UShort u) {
            return u.intValue();
        }
        if (raw instanceof UInteger u) {
            return u.longValue();
        }
        if (raw instanceof ULong u) {
            return u.toBigInteger();
        }
        return null;
    }

    /**
     * The variant to write for an engineering value, in the node's data type as last read.
     *
     * @param value the value to write
     * @param like the node's current value (its Java type decides the encoding), may be null
     * @return the variant
     */
    static Variant toVariant(Value value, Object like) {
        double d = value.asDouble();
        if (like instanceof Float) {
            return new Variant((float) d);
        } else if (like instanceof Integer) {
            return new Variant((int) Math.round(d));
        } else if (like instanceof Short) {
            return new Variant((short) Math.round(d));
        } else if (like instanceof Long) {
            return new Variant(Math.round(d));
        } else if (like instanceof UShort) {
            return new Variant(UShort.valueOf((int) Math.round(d)));
        } else if (like instanceof UInteger) {
            return new Variant(UInteger.valueOf(Math.round(d)));
        } else if (like instanceof Boolean || value.type() == ValueType.BOOLEAN) {
            return new Variant(d != 0);
        } else if (like instanceof String || value.type() == ValueType.STRING) {
            return new Variant(value instanceof io.millwright.api.StringValue s ? s.value() : String.valueOf(d));
        }
        return value.type() == ValueType.LONG ? new Variant(Math.round(d)) : new Variant(d);
    }
}
