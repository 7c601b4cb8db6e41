package io.millwright.kpi.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one asset did in one bucket of time: the additive quantities every KPI is computed from. Mutable; the engine
 * owns it under its lock.
 */
final class Bucket {

    final String asset;
    final long startMs;
    long observedMs;
    long maintenanceMs;
    long runMs;
    final Map<String, Long> downtimeByReason = new TreeMap<>();
    double produced;
    double good;
    double rejected;
    boolean goodCounted;
    double energyKwh;
    long failures;
    long repairs;
    long repairMs;

    Bucket(String asset, long startMs) {
        this.asset = asset;
        this.startMs = startMs;
    }

    /** @return the unplanned downtime: the sum over reasons */
    long downtimeMs() {
        long sum = 0;
        for (long v : downtimeByReason.values()) {
            sum += v;
        }
        return sum;
    }

    boolean empty() {
        return observedMs == 0 && produced == 0 && energyKwh == 0 && failures == 0 && repairs == 0;
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeLong(observedMs);
            out.writeLong(maintenanceMs);
            out.writeLong(runMs);
            out.writeDouble(produced);
            out.writeDouble(good);
            out.writeDouble(rejected);
            out.writeBoolean(goodCounted);
            out.writeDouble(energyKwh);
            out.writeLong(failures);
            out.writeLong(repairs);
            out.writeLong(repairMs);
            out.writeInt(downtimeByReason.size());
            for (Map.Entry<String, Long> e : downtimeByReason.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Bucket decode(String asset, long startMs, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            Bucket b = new Bucket(asset, startMs);
            b.observedMs = in.readLong();
            b.maintenanceMs = in.readLong();
            b.runMs = in.readLong();
            b.produced = in.readDouble();
            b.good = in.readDouble();
            b.rejected = in.readDouble();
            b.goodCounted = in.readBoolean();
            b.energyKwh = in.readDouble();
            b.failures = in.readLong();
            b.repairs = in.readLong();
            b.repairMs = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                b.downtimeByReason.put(in.readUTF(), in.readLong());
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("damaged KPI bucket of " + asset + " at " + startMs, e);
        }
    }
}
