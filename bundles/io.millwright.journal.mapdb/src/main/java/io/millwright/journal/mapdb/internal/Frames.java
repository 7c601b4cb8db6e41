package io.millwright.journal.mapdb.internal;

import java.util.zip.CRC32C;

/**
 * The self-describing frame every record the journal writes into MapDB is wrapped in, so that a damaged file can be
 * searched byte by byte for what is still intact, without MapDB's index:
 *
 * <pre>
 * 4 bytes  magic: 'M' 'W' kind '2'   (kind: J entry, C channel, K cursor, H high-water mark)
 * u32      body length (big-endian)
 * body
 * u32      CRC-32C of magic, length and body
 * </pre>
 *
 * A frame found at any offset whose length fits and whose CRC matches is taken as written (a random match has a
 * chance of 2<sup>-32</sup> per candidate offset that also starts with the 4-byte magic).
 */
final class Frames {

    static final int ENTRY = magic('J');
    static final int CHANNEL = magic('C');
    static final int CURSOR = magic('K');
    static final int HIGH_WATER = magic('H');
    static final int OVERHEAD = 12;
    /** Largest body a scan accepts: MapDB keeps a record of up to 65,520 bytes in one piece. */
    static final int MAX_SCANNED_BODY = 65_520;

    private Frames() {
    }

    private static int magic(char kind) {
        return 'M' << 24 | 'W' << 16 | kind << 8 | '2';
    }

    /** @return the frame: magic, length, the body's {@code size} bytes from {@code body}, CRC */
    static byte[] frame(int magic, byte[] body, int size) {
        byte[] out = new byte[size + OVERHEAD];
        putInt(out, 0, magic);
        putInt(out, 4, size);
        System.arraycopy(body, 0, out, 8, size);
        CRC32C crc = new CRC32C();
        crc.update(out, 0, size + 8);
        putInt(out, size + 8, (int) crc.getValue());
        return out;
    }

    /** @return the frame's magic if {@code bytes} is one whole, intact frame, else 0 */
    static int check(byte[] bytes) {
        if (bytes == null || bytes.length < OVERHEAD) {
            return 0;
        }
        return lengthAt(bytes, 0, bytes.length) == bytes.length ? getInt(bytes, 0) : 0;
    }

    /**
     * @return the length of an intact frame starting at {@code offset} in {@code buf[0..limit)}, or -1
     */
    static int lengthAt(byte[] buf, int offset, int limit) {
        if (limit - offset < OVERHEAD) {
            return -1;
        }
        int magic = getInt(buf, offset);
        if (magic != ENTRY && magic != CHANNEL && magic != CURSOR && magic != HIGH_WATER) {
            return -1;
        }
        int size = getInt(buf, offset + 4);
        if (size < 0 || size > limit - offset - OVERHEAD || size > (1 << 26)) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, offset, size + 8);
        return getInt(buf, offset + 8 + size) == (int) crc.getValue() ? size + OVERHEAD : -1;
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
