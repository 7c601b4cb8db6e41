package io.millwright.journal.mapdb.internal;

import io.millwright.journal.mapdb.internal.EntryCodec.ByteSink;
import io.millwright.journal.mapdb.internal.EntryCodec.ByteSource;

/**
 * The journal's small records, each a {@link Frames frame} so that a scan of a damaged file finds them: a channel
 * (its index, name and last sequence), a cursor (name, position, samples before it) and the high-water mark of the
 * journal (written with every commit). Stale copies of a record can survive in MapDB's free space; a scan keeps the
 * newest: the highest last sequence, the furthest cursor, the high-water mark of the latest commit.
 */
final class Records {

    private Records() {
    }

    /** A channel: its dictionary index, its name and the last sequence number assigned to it. */
    record Channel(int index, String name, long lastSequence) {
        byte[] encode() {
            ByteSink out = new ByteSink(64);
            out.putVarLong(index);
            out.putVarLong(lastSequence);
            out.putString(name);
            return Frames.frame(Frames.CHANNEL, out.buffer(), out.size());
        }
    }

    /** A cursor: its name, position and the samples committed before that position. */
    record Cursor(String name, long position, long samplesBefore) {
        byte[] encode() {
            ByteSink out = new ByteSink(64);
            out.putString(name);
            out.putVarLong(position);
            out.putVarLong(samplesBefore);
            return Frames.frame(Frames.CURSOR, out.buffer(), out.size());
        }
    }

    /**
     * The journal's state after one commit.
     *
     * @param epoch the journal epoch (grows when recovery cannot prove that sequences continue)
     * @param commit the commit's number
     * @param firstPosition oldest retained position
     * @param nextPosition the position after the newest entry
     * @param samplesBeforeFirst samples committed before the oldest retained position
     * @param committedSamples samples committed since the journal was created
     * @param droppedSamples samples lost since the journal was created
     * @param sequenceTotal the sum of every channel's last sequence: what a rebuilt dictionary must add up to
     */
    record HighWater(long epoch, long commit, long firstPosition, long nextPosition, long samplesBeforeFirst, long committedSamples,
            long droppedSamples, long sequenceTotal) {
        byte[] encode() {
            ByteSink out = new ByteSink(80);
            out.putVarLong(epoch);
            out.putVarLong(commit);
            out.putVarLong(firstPosition);
            out.putVarLong(nextPosition);
            out.putVarLong(samplesBeforeFirst);
            out.putVarLong(committedSamples);
            out.putVarLong(droppedSamples);
            out.putVarLong(sequenceTotal);
            return Frames.frame(Frames.HIGH_WATER, out.buffer(), out.size());
        }
    }

    private static ByteSource body(byte[] frame, int offset, int length) {
        ByteSource in = new ByteSource(frame, offset + length - 4);
        in.skip(offset + 8);
        return in;
    }

    static Channel channel(byte[] frame, int offset, int length) {
        ByteSource in = body(frame, offset, length);
        int index = (int) in.getVarLong();
        long last = in.getVarLong();
        return new Channel(index, in.getString(), last);
    }

    static Cursor cursor(byte[] frame, int offset, int length) {
        ByteSource in = body(frame, offset, length);
        return new Cursor(in.getString(), in.getVarLong(), in.getVarLong());
    }

    static HighWater highWater(byte[] frame, int offset, int length) {
        ByteSource in = body(frame, offset, length);
        return new HighWater(in.getVarLong(), in.getVarLong(), in.getVarLong(), in.getVarLong(), in.getVarLong(), in.getVarLong(),
                in.getVarLong(), in.getVarLong());
    }

    /** @return the channel record in this whole frame, or null if it is not one or is damaged */
    static Channel channel(byte[] frame) {
        return Frames.check(frame) == Frames.CHANNEL ? channel(frame, 0, frame.length) : null;
    }

    /** @return the cursor in this value: a frame, or the 16 bytes of format 1; null if damaged */
    static Cursor cursor(String name, byte[] value) {
        if (value != null && value.length == 16 && Frames.check(value) == 0) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(value);
            return new Cursor(name, b.getLong(), b.getLong());
        }
        return Frames.check(value) == Frames.CURSOR ? cursor(value, 0, value.length) : null;
    }

    /** @return the high-water mark in this whole frame, or null */
    static HighWater highWater(byte[] frame) {
        return Frames.check(frame) == Frames.HIGH_WATER ? highWater(frame, 0, frame.length) : null;
    }
}
