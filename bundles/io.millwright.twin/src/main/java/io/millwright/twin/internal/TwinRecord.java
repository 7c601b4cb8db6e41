package io.millwright.twin.internal;

import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running state of one asset's twin: the latest value of each tag, the operating state, the maintenance in progress
 * and the last one, and the health last journaled. Owned by the engine's thread; stored with the journal position.
 */
final class TwinRecord {

    private static final int VERSION = 1;

    /** The latest sample of one tag. */
    static final class TagState {
        double number = Double.NaN;
        String text = "";
        /** 0 GOOD, 1 UNCERTAIN, 2 BAD */
        byte quality;
        String reason = "";
        long timeMs;
        long arrivalMs;
    }

    final Map<String, TagState> tags = new LinkedHashMap<>();
    OperatingState state = OperatingState.UNKNOWN;
    long stateSinceMs;
    Twin.Maintenance maintenance;
    Twin.Maintenance lastMaintenance;
    String health = "";
    long updatedMs;

    TagState tag(String name) {
        return tags.computeIfAbsent(name, n -> new TagState());
    }

    void write(DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeInt(tags.size());
        for (Map.Entry<String, TagState> e : tags.entrySet()) {
            TagState t = e.getValue();
            out.writeUTF(e.getKey());
            out.writeDouble(t.number);
            out.writeUTF(t.text.length() > 2000 ? t.text.substring(0, 2000) : t.text);
            out.writeByte(t.quality);
            out.writeUTF(t.reason);
            out.writeLong(t.timeMs);
            out.writeLong(t.arrivalMs);
        }
        out.writeByte(state.ordinal());
        out.writeLong(stateSinceMs);
        writeMaintenance(out, maintenance);
        writeMaintenance(out, lastMaintenance);
        out.writeUTF(health);
        out.writeLong(updatedMs);
    }

    static TwinRecord read(DataInput in) throws IOException {
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException("twin record of version " + version + ", expected " + VERSION);
        }
        TwinRecord r = new TwinRecord();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            TagState t = r.tag(in.readUTF());
            t.number = in.readDouble();
            t.text = in.readUTF();
            t.quality = in.readByte();
            t.reason = in.readUTF();
            t.timeMs = in.readLong();
            t.arrivalMs = in.readLong();
        }
        r.state = OperatingState.values()[in.readByte()];
        r.stateSinceMs = in.readLong();
        r.maintenance = readMaintenance(in);
        r.lastMaintenance = readMaintenance(in);
        r.health = in.readUTF();
        r.updatedMs = in.readLong();
        return r;
    }

    private static void writeMaintenance(DataOutput out, Twin.Maintenance m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            out.writeLong(m.startedMs());
            out.writeLong(m.endedMs());
            out.writeUTF(m.by());
            out.writeUTF(m.note());
            out.writeUTF(m.endedBy());
            out.writeUTF(m.endNote());
        }
    }

    private static Twin.Maintenance readMaintenance(DataInput in) throws IOException {
        return in.readBoolean() ? new Twin.Maintenance(in.readLong(), in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF()) : null;
    }
}
