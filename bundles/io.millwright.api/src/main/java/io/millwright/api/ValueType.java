package io.millwright.api;

/** The type of a {@link Value}. */
public enum ValueType {
    /** 64-bit floating point, e.g. a temperature. */
    DOUBLE,
    /** 64-bit integer, e.g. a counter. */
    LONG,
    /** A state, e.g. running. */
    BOOLEAN,
    /** Text, e.g. a batch id. */
    STRING,
    /** A block of equidistant samples at a sample rate, e.g. one second of vibration. */
    WAVEFORM
}
