package io.millwright.api;

/**
 * An integer value.
 *
 * @param value the number
 */
public record LongValue(long value) implements Value {
    @Override
    public ValueType type() {
        return ValueType.LONG;
    }

    @Override
    public double asDouble() {
        return value;
    }
}
