package io.millwright.journal.mapdb.internal;

import io.millwright.api.ChannelId;
import io.millwright.journal.api.Gap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Stores the list of recent gaps as one blob. */
final class GapCodec {
    private GapCodec() {
    }

    static byte[] encode(List<Gap> gaps) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(gaps.size());
            for (Gap g : gaps) {
                out.writeUTF(g.channel().toString());
                out.writeLong(g.fromSequence());
                out.writeLong(g.toSequence());
                out.writeUTF(g.reason());
                out.writeLong(g.at().toEpochMilli());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<Gap> decode(byte[] blob) {
        List<Gap> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                out.add(new Gap(ChannelId.parse(in.readUTF()), in.readLong(), in.readLong(), in.readUTF(),
                        Instant.ofEpochMilli(in.readLong())));
            }
        } catch (IOException | RuntimeException e) {
            // a damaged gap list is not worth failing the journal for: the drop counter is kept separately
            return out;
        }
        return out;
    }
}
