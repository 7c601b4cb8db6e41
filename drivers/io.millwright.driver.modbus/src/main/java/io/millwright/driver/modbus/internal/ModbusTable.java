package io.millwright.driver.modbus.internal;

/** The four Modbus data tables, with their protocol limits per read request. */
enum ModbusTable {
    /** Read/write bits (function 1, write 5/15). */
    COIL("coil", true, true, 2000),
    /** Read-only bits (function 2). */
    DISCRETE("discrete", true, false, 2000),
    /** Read-only 16-bit registers (function 4). */
    INPUT("input", false, false, 125),
    /** Read/write 16-bit registers (function 3, write 6/16). */
    HOLDING("holding", false, true, 125);

    final String key;
    final boolean bits;
    final boolean writable;
    /** Most items one read request may ask for (Modbus Application Protocol 1.1b3). */
    final int maxPerRead;

    ModbusTable(String key, boolean bits, boolean writable, int maxPerRead) {
        this.key = key;
        this.bits = bits;
        this.writable = writable;
        this.maxPerRead = maxPerRead;
    }

    static ModbusTable parse(String key) {
        for (ModbusTable t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown table '" + key + "': expected coil, discrete, input or holding");
    }
}
