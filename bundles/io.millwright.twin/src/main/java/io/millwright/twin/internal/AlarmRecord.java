package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The running state of one alarm: its lifecycle flags and the timers and memory its condition needs. Owned by the
 * engine's thread; stored (encoded) in the twin store with the journal position after every batch, so that states and
 * running timers survive a restart and {@code kill -9}.
 */
public final class AlarmRecord {

    /** Activations within this window make an alarm chattering. */
    static final long CHATTER_WINDOW_MS = 60_000;
    /** How many activations within the window make it chattering (EEMUA 191: 3 or more per minute). */
    static final int CHATTER_COUNT = 3;
    /** 2: with the correlation id of the episode (1 is read as without). */
    private static final int VERSION = 2;
    /** No delay running. */
    static final long NOT_PENDING = Long.MIN_VALUE;

    // lifecycle
    boolean active;
    boolean acknowledged = true;
    int priority;
    AlarmState state = AlarmState.NORMAL;
    long stateSinceMs;
    long activeSinceMs;
    String value = "";
    String message = "";
    /** The correlation id of the sample that activated the current episode (see {@code io.millwright.api.CorrelationId}). */
    String correlation = "";
    Alarm.Shelf shelf;
    Alarm.Shelf outOfService;
    boolean suppressed;
    boolean firstOut;
    boolean firstOutOfLine;
    boolean chattering;
    final long[] activations = new long[CHATTER_COUNT];
    // condition memory
    boolean rawActive;
    int rawPriority;
    /** when the raw condition last changed while the alarm waits out a delay; {@link #NOT_PENDING} when it does not wait */
    long pendingSinceMs = NOT_PENDING;
    double lastNumber = Double.NaN;
    long lastSampleMs;
    long lastArrivalMs;

    /** @return the state the flags call for (a blocked alarm is not annunciated whatever its condition) */
    AlarmState derive() {
        if (outOfService != null) {
            return AlarmState.OUT_OF_SERVICE;
        }
        if (shelf != null) {
            return AlarmState.SHELVED;
        }
        if (suppressed) {
            return AlarmState.SUPPRESSED_BY_DESIGN;
        }
        if (active) {
            return acknowledged ? AlarmState.ACKNOWLEDGED : AlarmState.UNACKNOWLEDGED;
        }
        return acknowledged ? AlarmState.NORMAL : AlarmState.RTN_UNACKNOWLEDGED;
    }

    /** @return true if shelved, suppressed by design or out of service */
    boolean blocked() {
        return outOfService != null || shelf != null || suppressed;
    }

    /**
     * Notes an activation at this time; true if the alarm now chatters.
     *
     * @param timeMs the activation's time
     * @return whether {@link #CHATTER_COUNT} activations fall within {@link #CHATTER_WINDOW_MS}
     */
    boolean noteActivation(long timeMs) {
        System.arraycopy(activations, 1, activations, 0, activations.length - 1);
        activations[activations.length - 1] = timeMs;
        return activations[0] > 0 && timeMs - activations[0] <= CHATTER_WINDOW_MS;
    }

    /** @return the newest activation time, 0 if none */
    long lastActivation() {
        return activations[activations.length - 1];
    }

    void write(DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeBoolean(active);
        out.writeBoolean(acknowledged);
        out.writeByte(priority);
        out.writeByte(state.ordinal());
        out.writeLong(stateSinceMs);
        out.writeLong(activeSinceMs);
        out.writeUTF(value);
        out.writeUTF(message);
        writeShelf(out, shelf);
        writeShelf(out, outOfService);
        out.writeBoolean(suppressed);
        out.writeBoolean(firstOut);
        out.writeBoolean(firstOutOfLine);
        out.writeBoolean(chattering);
        for (long a : activations) {
            out.writeLong(a);
        }
        out.writeBoolean(rawActive);
        out.writeByte(rawPriority);
        out.writeLong(pendingSinceMs);
        out.writeDouble(lastNumber);
        out.writeLong(lastSampleMs);
        out.writeLong(lastArrivalMs);
        out.writeUTF(correlation);
    }

    static AlarmRecord read(DataInput in) throws IOException {
        int version = in.readByte();
        if (version != VERSION && version != 1) {
            throw new IOException("alarm record of version " + version + ", expected 1 or " + VERSION);
        }
        AlarmRecord r = new AlarmRecord();
        r.active = in.readBoolean();
        r.acknowledged = in.readBoolean();
        r.priority = in.readByte();
        r.state = AlarmState.values()[in.readByte()];
        r.stateSinceMs = in.readLong();
        r.activeSinceMs = in.readLong();
        r.value = in.readUTF();
        r.message = in.readUTF();
        r.shelf = readShelf(in);
        r.outOfService = readShelf(in);
        r.suppressed = in.readBoolean();
        r.firstOut = in.readBoolean();
        r.firstOutOfLine = in.readBoolean();
        r.chattering = in.readBoolean();
        for (int i = 0; i < r.activations.length; i++) {
            r.activations[i] = in.readLong();
        }
        r.rawActive = in.readBoolean();
        r.rawPriority = in.readByte();
        r.pendingSinceMs = in.readLong();
        r.lastNumber = in.readDouble();
        r.lastSampleMs = in.readLong();
        r.lastArrivalMs = in.readLong();
        r.correlation = version >= 2 ? in.readUTF() : "";
        return r;
    }

    private static void writeShelf(DataOutput out, Alarm.Shelf s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s.by());
            out.writeUTF(s.reason());
            out.writeLong(s.sinceMs());
            out.writeLong(s.untilMs());
        }
    }

    private static Alarm.Shelf readShelf(DataInput in) throws IOException {
        return in.readBoolean() ? new Alarm.Shelf(in.readUTF(), in.readUTF(), in.readLong(), in.readLong()) : null;
    }
}
