package io.millwright.driver.modbus.internal;

/**
 * Turns registers into numbers and back. Registers are 16-bit words as sent on the wire (big-endian
 * bytes). {@code order} names the bytes of the value from most to least significant as they appear
 * in register order: {@code ABCD} (big-endian, Modbus default), {@code CDAB} (word-swapped),
 * {@code BADC} (byte-swapped), {@code DCBA} (little-endian); for 64-bit values the same swaps apply
 * to all four words. 16-bit values only distinguish byte swaps ({@code AB} = ABCD/CDAB, {@code BA}).
 */
final class RegisterCodec {

    /** Word and byte order. */
    enum Order {
        ABCD(false, false), CDAB(true, false), BADC(false, true), DCBA(true, true);

        final boolean wordSwap;
        final boolean byteSwap;

        Order(boolean wordSwap, boolean byteSwap) {
            this.wordSwap = wordSwap;
            this.byteSwap = byteSwap;
        }

        static Order parse(String key) {
            try {
                return valueOf(key.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown order '" + key + "': expected ABCD, CDAB, BADC or DCBA");
            }
        }
    }

    private RegisterCodec() {
    }

    /** The raw value's bits, most significant first, from {@code words} registers at {@code offset}. */
    private static long bits(int[] registers, int offset, int words, Order order) {
        long v = 0;
        for (int i = 0; i < words; i++) {
            int w = registers[offset + (order.wordSwap ? words - 1 - i : i)] & 0xFFFF;
            if (order.byteSwap) {
                w = (w & 0xFF) << 8 | w >>> 8;
            }
            v = v << 16 | w;
        }
        return v;
    }

    /**
     * @return the value as a double (integers are exact up to 2^53; INT64 beyond that loses precision)
     */
    static double decode(int[] registers, int offset, ModbusType type, Order order) {
        long b = bits(registers, offset, type.words, order);
        return switch (type) {
            case INT16 -> (short) b;
            case UINT16 -> b & 0xFFFF;
            case INT32 -> (int) b;
            case UINT32 -> b & 0xFFFFFFFFL;
            case FLOAT32 -> Float.intBitsToFloat((int) b);
            case INT64 -> b;
            case FLOAT64 -> Double.longBitsToDouble(b);
            case BOOL -> throw new IllegalArgumentException("a bit is not in registers");
        };
    }

    /** @return the exact integer value (for INT64 beyond 2^53) */
    static long decodeLong(int[] registers, int offset, ModbusType type, Order order) {
        long b = bits(registers, offset, type.words, order);
        return switch (type) {
            case INT16 -> (short) b;
            case UINT16 -> b & 0xFFFF;
            case INT32 -> (int) b;
            case UINT32 -> b & 0xFFFFFFFFL;
            case INT64 -> b;
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        };
    }

    /**
     * @param value the value in device units (scale and offset already removed)
     * @return the registers to write
     * @throws IllegalArgumentException if the value does not fit the type
     */
    static int[] encode(double value, ModbusType type, Order order) {
        long b = switch (type) {
            case INT16 -> checked(value, Short.MIN_VALUE, Short.MAX_VALUE, type) & 0xFFFF;
            case UINT16 -> checked(value, 0, 0xFFFF, type);
            case INT32 -> checked(value, Integer.MIN_VALUE, Integer.MAX_VALUE, type) & 0xFFFFFFFFL;
            case UINT32 -> checked(value, 0, 0xFFFFFFFFL, type);
            case FLOAT32 -> Float.floatToRawIntBits((float) value) & 0xFFFFFFFFL;
            case INT64 -> checked(value, Long.MIN_VALUE, Long.MAX_VALUE, type);
            case FLOAT64 -> Double.doubleToRawLongBits(value);
            case BOOL -> throw new IllegalArgumentException("a bit is not written as registers");
        };
        int[] words = new int[type.words];
        for (int i = 0; i < type.words; i++) {
            int w = (int) (b >>> 16 * (type.words - 1 - i)) & 0xFFFF;
            if (order.byteSwap) {
                w = (w & 0xFF) << 8 | w >>> 8;
            }
            words[order.wordSwap ? type.words - 1 - i : i] = w;
        }
        return words;
    }

    private static long checked(double value, double min, double max, ModbusType type) {
        double r = Math.rint(value);
        if (!Double.isFinite(value) || r < min || r > max) {
            throw new IllegalArgumentException(value + " does not fit " + type);
        }
        return (long) r;
    }
}
