package io.millwright.api;

/**
 * A typed, immutable value of a sample.
 *
 * <p>The implementations are the records {@link DoubleValue}, {@link LongValue},
 * {@link BooleanValue}, {@link StringValue} and the class {@link Waveform}.
 */
public sealed interface Value permits DoubleValue, LongValue, BooleanValue, StringValue, Waveform {

    /** @return the type of this value */
    ValueType type();

    /**
     * A scalar view of the value for display and for simple features: the number itself, 1/0 for
     * booleans, the RMS for a waveform, NaN for text.
     *
     * @return the value as a double
     */
    double asDouble();

    /**
     * @param value a number
     * @return a DOUBLE value
     */
    static Value of(double value) {
        return new DoubleValue(value);
    }

    /**
     * @param value an integer
     * @return a LONG value
     */
    static Value of(long value) {
        return new LongValue(value);
    }

    /**
     * @param value a state
     * @return a BOOLEAN value
     */
    static Value of(boolean value) {
        return value ? BooleanValue.TRUE : BooleanValue.FALSE;
    }

    /**
     * @param value a text, not null
     * @return a STRING value
     */
    static Value of(String value) {
        return new StringValue(value);
    }
}
