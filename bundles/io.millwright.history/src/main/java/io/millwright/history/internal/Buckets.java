package io.millwright.history.internal;

/**
 * How a range is cut into at most N buckets: equal widths, a whole number of the level's windows, aligned to
 * multiples of the width since the epoch (so a bucket holds whole windows, and the same range always cuts the same).
 *
 * @param first the first bucket's start (at or before the range's start), microseconds since the epoch
 * @param width the width of a bucket in microseconds
 * @param count the number of buckets, at most the points asked for
 */
record Buckets(long first, long width, int count) {

    static Buckets cut(long fromMicros, long toMicros, int points, long windowMicros) {
        long span = toMicros - fromMicros;
        long width = Math.max(windowMicros, roundUp(ceilDiv(span, points), windowMicros));
        while (true) {
            long first = Math.floorDiv(fromMicros, width) * width;
            long count = ceilDiv(toMicros - first, width);
            if (count <= points) {
                return new Buckets(first, width, (int) count);
            }
            width += windowMicros;
        }
    }

    /** @return the end of the last bucket (exclusive) */
    long end() {
        return first + width * count;
    }

    /** @return the bucket index of a time inside [first, end) */
    int index(long timeMicros) {
        return (int) ((timeMicros - first) / width);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long roundUp(long value, long step) {
        return ceilDiv(value, step) * step;
    }
}
