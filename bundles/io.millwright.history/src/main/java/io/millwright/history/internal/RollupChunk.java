package io.millwright.history.internal;

import java.nio.ByteBuffer;

/**
 * The rollups of one channel over one chunk of time: the 60 minutes of an hour, or the 24 hours of a day. Stored as one
 * value, so that a week of minutes is 168 reads, not 10,080, and a year of hours 365, not 8,760. Encoded as the filled
 * slots only: a slot byte and the rollup's {@value Rollup#BYTES} bytes each.
 */
final class RollupChunk {

    static final int ENTRY = 1 + Rollup.BYTES;

    private final Rollup[] slots;
    /** slots filled since loaded (new windows) */
    int added;

    RollupChunk(int slotCount, byte[] existing) {
        this.slots = new Rollup[slotCount];
        if (existing != null) {
            ByteBuffer b = ByteBuffer.wrap(existing);
            while (b.remaining() >= ENTRY) {
                int slot = b.get() & 0xff;
                byte[] r = new byte[Rollup.BYTES];
                b.get(r);
                slots[slot] = Rollup.decode(r);
            }
        }
    }

    void add(int slot, long timeMicros, double value, boolean bad) {
        Rollup r = slots[slot];
        if (r == null) {
            r = new Rollup();
            slots[slot] = r;
            added++;
        }
        r.add(timeMicros, value, bad);
    }

    byte[] encode() {
        int filled = 0;
        for (Rollup r : slots) {
            if (r != null) {
                filled++;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(filled * ENTRY);
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                b.put((byte) i).put(slots[i].encode());
            }
        }
        return b.array();
    }

    /** @return the windows an encoded chunk holds */
    static int windows(byte[] encoded) {
        return encoded.length / ENTRY;
    }

    /** @return the first filled slot of an encoded chunk, or -1 */
    static int firstSlot(byte[] encoded) {
        int first = -1;
        for (int at = 0; at + ENTRY <= encoded.length; at += ENTRY) {
            int slot = encoded[at] & 0xff;
            first = first < 0 ? slot : Math.min(first, slot);
        }
        return first;
    }

    /** Visits each window of an encoded chunk without building objects for the ones the visitor skips. */
    static void forEach(byte[] encoded, long chunkStartMicros, long windowMicros, WindowVisitor visitor) {
        ByteBuffer b = ByteBuffer.wrap(encoded);
        for (int at = 0; at + ENTRY <= encoded.length; at += ENTRY) {
            visitor.window(chunkStartMicros + (encoded[at] & 0xff) * windowMicros, b, at + 1);
        }
    }

    /** Receives a window's start and where its encoded rollup lies. */
    @FunctionalInterface
    interface WindowVisitor {
        void window(long startMicros, ByteBuffer buffer, int offset);
    }
}
