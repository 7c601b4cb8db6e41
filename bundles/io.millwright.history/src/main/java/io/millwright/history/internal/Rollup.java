package io.millwright.history.internal;

import io.millwright.history.api.HistoryPoint;
import java.nio.ByteBuffer;

/** The running aggregate of one window or bucket: min, max, sum, count, last (by time) and BAD count. */
final class Rollup {

    static final int BYTES = 7 * Long.BYTES;

    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    long count;
    double last = Double.NaN;
    long lastTime = Long.MIN_VALUE;
    long bad;

    /** Adds one sample; a sample at the same time as the last one replaces it as last (it came later). */
    void add(long timeMicros, double value, boolean isBad) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
        count++;
        if (isBad) {
            bad++;
        }
        if (timeMicros >= lastTime) {
            lastTime = timeMicros;
            last = value;
        }
    }

    /** Adds an encoded aggregate (as {@link #encode} wrote it) lying at {@code offset} of the buffer. */
    void merge(ByteBuffer b, int offset) {
        long otherCount = b.getLong(offset + 24);
        if (otherCount == 0) {
            return;
        }
        min = Math.min(min, b.getDouble(offset));
        max = Math.max(max, b.getDouble(offset + 8));
        sum += b.getDouble(offset + 16);
        count += otherCount;
        long otherLastTime = b.getLong(offset + 40);
        if (otherLastTime >= lastTime) {
            lastTime = otherLastTime;
            last = b.getDouble(offset + 32);
        }
        bad += b.getLong(offset + 48);
    }

    HistoryPoint point(long timeMicros) {
        return new HistoryPoint(timeMicros, min, max, sum / count, count, last, (double) bad / count);
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putDouble(min).putDouble(max).putDouble(sum).putLong(count).putDouble(last)
                .putLong(lastTime).putLong(bad).array();
    }

    static Rollup decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Rollup r = new Rollup();
        r.min = b.getDouble();
        r.max = b.getDouble();
        r.sum = b.getDouble();
        r.count = b.getLong();
        r.last = b.getDouble();
        r.lastTime = b.getLong();
        r.bad = b.getLong();
        return r;
    }
}
