package io.millwright.journal.mapdb.internal;

import io.millwright.api.BooleanValue;
import io.millwright.api.ChannelId;
import io.millwright.api.DoubleValue;
import io.millwright.api.LongValue;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.api.Waveform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.zip.CRC32C;

/**
 * Compact binary form of one journal entry (a group of samples) in a {@link Frames frame} (magic {@code MWJ2},
 * length, CRC-32C), so that a damaged entry is recognised instead of decoded into wrong values, and so that an entry
 * can be found in a damaged file without MapDB's index: it names its own position and epoch.
 *
 * <pre>
 * frame body (format 2):
 * varlong journal epoch
 * varlong position
 * varlong samples committed before this entry (for lag and drop accounting)
 * varint  sample count
 * per sample:
 *   varint  channel index (see {@link ChannelDictionary})
 *   varlong sequence
 *   zigzag  source time − previous source time (µs; the first against 0)
 *   zigzag  ingest time − previous ingest time
 *   byte    value type (bits 0-2) | quality level (bits 3-4) | boolean value (bit 5)
 *   [string quality reason, unless GOOD]
 *   value:  DOUBLE 8 bytes | LONG zigzag | STRING string | WAVEFORM 8-byte rate, varint n, n × 8 bytes
 * </pre>
 *
 * Format 1 (wave 1: a version byte 1, samples before, count, the samples, a CRC-32C; no frame, position or epoch)
 * is still read.
 */
final class EntryCodec {

    static final byte VERSION = 1;
    private static final ValueType[] TYPES = ValueType.values();
    private static final QualityLevel[] LEVELS = QualityLevel.values();

    private EntryCodec() {
    }

    /** Thrown when bytes are not a valid entry. */
    static final class DamagedEntryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DamagedEntryException(String message) {
            super(message);
        }
    }

    /** What an entry says of itself before its samples. */
    record Header(long epoch, long position, long samplesBefore, int count) {
    }

    static byte[] encode(List<Sample> samples, int from, int to, long epoch, long position, long samplesBefore,
            ToIntFunction<ChannelId> channelIndex) {
        ByteSink out = new ByteSink(32 + (to - from) * 20);
        out.putVarLong(epoch);
        out.putVarLong(position);
        out.putVarLong(samplesBefore);
        out.putVarLong(to - from);
        long prevSource = 0;
        long prevIngest = 0;
        for (int i = from; i < to; i++) {
            Sample s = samples.get(i);
            out.putVarLong(channelIndex.applyAsInt(s.channel()));
            out.putVarLong(s.sequence());
            out.putVarLong(zigzag(s.sourceTimeMicros() - prevSource));
            out.putVarLong(zigzag(s.ingestTimeMicros() - prevIngest));
            prevSource = s.sourceTimeMicros();
            prevIngest = s.ingestTimeMicros();
            Value v = s.value();
            int tag = v.type().ordinal() | s.quality().level().ordinal() << 3;
            if (v instanceof BooleanValue b && b.value()) {
                tag |= 1 << 5;
            }
            out.put((byte) tag);
            if (!s.quality().isGood()) {
                out.putString(s.quality().reason());
            }
            switch (v.type()) {
                case DOUBLE -> out.putLong(Double.doubleToRawLongBits(((DoubleValue) v).value()));
                case LONG -> out.putVarLong(zigzag(((LongValue) v).value()));
                case BOOLEAN -> { }
                case STRING -> out.putString(((StringValue) v).value());
                case WAVEFORM -> {
                    Waveform w = (Waveform) v;
                    out.putLong(Double.doubleToRawLongBits(w.sampleRateHz()));
                    out.putVarLong(w.length());
                    for (int p = 0; p < w.length(); p++) {
                        out.putLong(Double.doubleToRawLongBits(w.point(p)));
                    }
                }
                default -> throw new IllegalArgumentException("unknown value type " + v.type());
            }
        }
        return Frames.frame(Frames.ENTRY, out.buffer(), out.size());
    }

    /** @return the number of samples committed before the entry, read from its header */
    static long samplesBefore(byte[] entry) {
        return header(entry).samplesBefore();
    }

    /** @return the number of samples in the entry, read from its header */
    static int sampleCount(byte[] entry) {
        return header(entry).count();
    }

    /**
     * Reads an entry's header without checking its CRC (for figures of entries already checked).
     *
     * @throws DamagedEntryException if the bytes are not an entry
     */
    static Header header(byte[] entry) {
        try {
            if (entry != null && entry.length >= Frames.OVERHEAD && Frames.getInt(entry, 0) == Frames.ENTRY) {
                ByteSource in = new ByteSource(entry, entry.length - 4);
                in.skip(8);
                return new Header(in.getVarLong(), in.getVarLong(), in.getVarLong(), (int) in.getVarLong());
            }
            if (entry != null && entry.length >= 6 && entry[0] == VERSION) {
                ByteSource in = new ByteSource(entry, entry.length - 4);
                in.get();
                return new Header(1, -1, in.getVarLong(), (int) in.getVarLong());
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new DamagedEntryException("entry header broken: " + e.getMessage());
        }
        throw new DamagedEntryException("not a journal entry: " + (entry == null ? "null" : entry.length + " bytes"));
    }

    /** @return true if the entry's checksum matches (format 2 frame or format 1) */
    static boolean intact(byte[] entry) {
        if (entry == null || entry.length < 6) {
            return false;
        }
        if (Frames.getInt(entry, 0) == Frames.ENTRY) {
            return Frames.check(entry) == Frames.ENTRY;
        }
        int bodyLength = entry.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(entry, 0, bodyLength);
        return Frames.getInt(entry, bodyLength) == (int) crc.getValue() && entry[0] == VERSION;
    }

    static List<Sample> decode(byte[] entry, IntFunction<ChannelId> channels) {
        if (entry == null || entry.length < 6) {
            throw new DamagedEntryException("entry too short: " + (entry == null ? "null" : entry.length + " bytes"));
        }
        if (!intact(entry)) {
            throw new DamagedEntryException("entry checksum mismatch");
        }
        boolean framed = Frames.getInt(entry, 0) == Frames.ENTRY;
        ByteSource in = new ByteSource(entry, entry.length - 4);
        try {
            if (framed) {
                in.skip(8);
                in.getVarLong();
                in.getVarLong();
            } else {
                in.get();
            }
            in.getVarLong();
            int count = (int) in.getVarLong();
            List<Sample> out = new ArrayList<>(count);
            long source = 0;
            long ingest = 0;
            for (int i = 0; i < count; i++) {
                int index = (int) in.getVarLong();
                ChannelId channel = channels.apply(index);
                if (channel == null) {
                    throw new DamagedEntryException("unknown channel index " + index);
                }
                long seq = in.getVarLong();
                source += unzigzag(in.getVarLong());
                ingest += unzigzag(in.getVarLong());
                int tag = in.get() & 0xff;
                ValueType type = TYPES[tag & 7];
                QualityLevel level = LEVELS[tag >> 3 & 3];
                Quality quality = level == QualityLevel.GOOD ? Quality.GOOD : new Quality(level, in.getString());
                Value value = switch (type) {
                    case DOUBLE -> Value.of(Double.longBitsToDouble(in.getLong()));
                    case LONG -> Value.of(unzigzag(in.getVarLong()));
                    case BOOLEAN -> Value.of((tag & 1 << 5) != 0);
                    case STRING -> Value.of(in.getString());
                    case WAVEFORM -> {
                        double rate = Double.longBitsToDouble(in.getLong());
                        double[] points = new double[(int) in.getVarLong()];
                        for (int p = 0; p < points.length; p++) {
                            points[p] = Double.longBitsToDouble(in.getLong());
                        }
                        yield new Waveform(points, rate);
                    }
                };
                out.add(new Sample(channel, seq, source, ingest, value, quality));
            }
            if (in.remaining() != 0) {
                throw new DamagedEntryException(in.remaining() + " unexpected bytes after the last sample");
            }
            return out;
        } catch (IndexOutOfBoundsException | NegativeArraySizeException | IllegalArgumentException e) {
            throw new DamagedEntryException("entry structure broken: " + e.getMessage());
        }
    }

    static long zigzag(long v) {
        return v << 1 ^ v >> 63;
    }

    static long unzigzag(long v) {
        return v >>> 1 ^ -(v & 1);
    }

    /** A growable byte array with the primitive writes the format needs. */
    static final class ByteSink {
        private byte[] buf;
        private int size;

        ByteSink(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int extra) {
            if (size + extra > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
            }
        }

        void put(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void putVarLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) (v & 0x7F | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void putLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        void putInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        void putString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putVarLong(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] buffer() {
            return buf;
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }

    /** Reads what {@link ByteSink} wrote; throws IndexOutOfBoundsException past the limit. */
    static final class ByteSource {
        private final byte[] buf;
        private final int limit;
        private int pos;

        ByteSource(byte[] buf, int limit) {
            this.buf = buf;
            this.limit = limit;
        }

        byte get() {
            if (pos >= limit) {
                throw new IndexOutOfBoundsException("read past end at " + pos);
            }
            return buf[pos++];
        }

        long getVarLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = get();
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at " + pos);
        }

        long getLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | get() & 0xff;
            }
            return v;
        }

        String getString() {
            int n = (int) getVarLong();
            if (n < 0 || pos + n > limit) {
                throw new IndexOutOfBoundsException("string of " + n + " bytes past end at " + pos);
            }
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        int remaining() {
            return limit - pos;
        }

        void skip(int n) {
            if (pos + n > limit) {
                throw new IndexOutOfBoundsException("skip past end at " + pos);
            }
            pos += n;
        }
    }
}
