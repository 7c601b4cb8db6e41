package io.millwright.history.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The raw samples of one channel in one minute, in arrival order: 17 bytes each (time in microseconds, value, BAD
 * flag). At most {@value #MAX_SAMPLES} per block (120 a second); the rollups count the samples beyond that, the raw
 * level does not keep them ({@link #skipped}).
 */
final class RawBlock {

    static final int SAMPLE_BYTES = 17;
    static final int MAX_SAMPLES = 7_200;

    private byte[] bytes;
    private int length;
    long skipped;

    RawBlock(byte[] existing) {
        this.bytes = existing == null ? new byte[SAMPLE_BYTES * 8] : Arrays.copyOf(existing, Math.max(existing.length * 2, SAMPLE_BYTES * 8));
        this.length = existing == null ? 0 : existing.length;
    }

    void add(long timeMicros, double value, boolean bad) {
        if (length / SAMPLE_BYTES >= MAX_SAMPLES) {
            skipped++;
            return;
        }
        if (length + SAMPLE_BYTES > bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        ByteBuffer.wrap(bytes, length, SAMPLE_BYTES).putLong(timeMicros).putDouble(value).put((byte) (bad ? 1 : 0));
        length += SAMPLE_BYTES;
    }

    byte[] encode() {
        return Arrays.copyOf(bytes, length);
    }

    /** Visits each sample of an encoded block. */
    static void forEach(byte[] block, SampleVisitor visitor) {
        ByteBuffer b = ByteBuffer.wrap(block);
        while (b.remaining() >= SAMPLE_BYTES) {
            visitor.sample(b.getLong(), b.getDouble(), b.get() != 0);
        }
    }

    /** Receives raw samples. */
    @FunctionalInterface
    interface SampleVisitor {
        void sample(long timeMicros, double value, boolean bad);
    }
}
