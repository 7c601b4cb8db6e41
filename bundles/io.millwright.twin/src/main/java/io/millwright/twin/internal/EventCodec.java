package io.millwright.twin.internal;

import io.millwright.alarm.api.AlarmContext;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.AlarmTransition;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Byte forms of what the twin store keeps: alarm events and the derived samples waiting in the outbox. */
final class EventCodec {

    /** 2: with the correlation id (1 is read as without). */
    private static final int VERSION = 2;

    private EventCodec() {
    }

    static byte[] encode(AlarmEvent e) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeLong(e.sequence());
            out.writeLong(e.timeMs());
            out.writeUTF(e.alarmId());
            out.writeByte(e.transition().ordinal());
            out.writeByte(e.from().ordinal());
            out.writeByte(e.to().ordinal());
            out.writeByte(e.priority());
            out.writeBoolean(e.active());
            out.writeUTF(clip(e.value()));
            out.writeUTF(clip(e.cause()));
            out.writeUTF(e.actor());
            out.writeUTF(clip(e.comment()));
            AlarmContext c = e.context();
            out.writeUTF(c.site());
            out.writeUTF(c.area());
            out.writeUTF(c.line());
            out.writeUTF(c.assetClass());
            out.writeUTF(c.criticality());
            out.writeUTF(e.correlationId());
            return bytes.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    static AlarmEvent decode(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            int version = in.readByte();
            if (version != VERSION && version != 1) {
                throw new IOException("alarm event of version " + version);
            }
            return new AlarmEvent(in.readLong(), in.readLong(), in.readUTF(), AlarmTransition.values()[in.readByte()],
                    AlarmState.values()[in.readByte()], AlarmState.values()[in.readByte()], in.readByte(), in.readBoolean(), in.readUTF(),
                    in.readUTF(), in.readUTF(), in.readUTF(), new AlarmContext(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                    in.readUTF()), version >= 2 ? in.readUTF() : "");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** A derived text sample: channel, source time, text. */
    static byte[] encodeOut(Sample s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(s.channel().toString());
            out.writeLong(s.sourceTimeMicros());
            out.writeUTF(clip(((io.millwright.api.StringValue) s.value()).value()));
            return bytes.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    static Sample decodeOut(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            return Sample.of(ChannelId.parse(in.readUTF()), in.readLong(), Value.of(in.readUTF()), Quality.GOOD);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static String clip(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) : s;
    }
}
