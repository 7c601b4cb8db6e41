package io.millwright.api;

/**
 * A floating-point value. Non-finite values can be represented; ingest marks them BAD.
 *
 * @param value the number
 */
public record DoubleValue(double value) implements Value {
    @Override
    public ValueType type() {
        return ValueType.DOUBLE;
    }

    @Override
    public double asDouble() {
        return value;
    }
}
