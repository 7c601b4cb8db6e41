package io.millwright.api;

import java.util.Objects;

/**
 * A text value.
 *
 * @param value the text, not null
 */
public record StringValue(String value) implements Value {
    /** Requires a text. */
    public StringValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public double asDouble() {
        return Double.NaN;
    }
}
