package io.millwright.api;

/**
 * A boolean value.
 *
 * @param value the state
 */
public record BooleanValue(boolean value) implements Value {
    static final BooleanValue TRUE = new BooleanValue(true);
    static final BooleanValue FALSE = new BooleanValue(false);

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public double asDouble() {
        return value ? 1.0 : 0.0;
    }
}
