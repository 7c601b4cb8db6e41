package io.millwright.driver.modbus.internal;

/** How a channel's value is laid out in the device: a bit, or 1, 2 or 4 registers. */
enum ModbusType {
    BOOL(0), INT16(1), UINT16(1), INT32(2), UINT32(2), FLOAT32(2), INT64(4), FLOAT64(4);

    /** Registers it occupies (0 for a bit). */
    final int words;

    ModbusType(int words) {
        this.words = words;
    }

    boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    static ModbusType parse(String key) {
        try {
            return valueOf(key.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type '" + key + "': expected bool, int16, uint16, int32, uint32, float32, int64 or float64");
        }
    }
}
