package io.millwright.kpi.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Where the reader stands for one asset: its operating state, the last time seen, the counters' last values. */
final class AssetState {

    String state = "UNKNOWN";
    long lastMs;
    /** start of the trip in progress, 0 if none, -1 if it began before anything was seen */
    long tripStartMs;
    String tripReason = "";
    String reasonText = "";
    double lastCount = Double.NaN;
    double lastGood = Double.NaN;
    double lastReject = Double.NaN;
    double lastEnergy = Double.NaN;
    /** the bucket the asset's time is in (its KPI samples are written when time leaves it) */
    long bucketStartMs = -1;

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeUTF(state);
            out.writeLong(lastMs);
            out.writeLong(tripStartMs);
            out.writeUTF(tripReason);
            out.writeUTF(reasonText);
            out.writeDouble(lastCount);
            out.writeDouble(lastGood);
            out.writeDouble(lastReject);
            out.writeDouble(lastEnergy);
            out.writeLong(bucketStartMs);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AssetState decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readByte();
            AssetState s = new AssetState();
            s.state = in.readUTF();
            s.lastMs = in.readLong();
            s.tripStartMs = in.readLong();
            s.tripReason = in.readUTF();
            s.reasonText = in.readUTF();
            s.lastCount = in.readDouble();
            s.lastGood = in.readDouble();
            s.lastReject = in.readDouble();
            s.lastEnergy = in.readDouble();
            s.bucketStartMs = in.readLong();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("damaged KPI asset state", e);
        }
    }
}
