package io.millwright.uplink.mqtt.internal;

import io.millwright.api.Sample;
import io.millwright.api.Waveform;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the uplink has read from the journal, sent, and had acknowledged. Cuts journal entries into
 * message-sized batches (an entry may span several messages) and tells how far the durable cursor
 * may move: to the first position that still has an unacknowledged or unsent part.
 *
 * <p>Not thread-safe: the uplink's lane owns it.
 */
public final class SendWindow {

    /** A slice of one journal entry. */
    public record Part(long position, int from, int to, boolean lastOfEntry) {
    }

    /** The samples of one message and where they came from. */
    public record Batch(List<Part> parts, List<Sample> samples) {
        long firstPosition() {
            return parts.get(0).position();
        }
    }

    private static final class Outstanding {
        int unacknowledged;
        boolean complete;
    }

    private final TreeMap<Long, Outstanding> outstanding = new TreeMap<>();
    private final Deque<JournalEntry> buffered = new ArrayDeque<>();
    private int indexInFirst;
    private long readPosition;
    private long droppedEntries;

    /** Forgets everything in flight and starts again from the cursor's durable position. */
    public void reset(long cursorPosition) {
        outstanding.clear();
        buffered.clear();
        indexInFirst = 0;
        readPosition = cursorPosition;
    }

    /**
     * Cuts the next batch, reading from the journal as needed.
     *
     * @param cursor the uplink's cursor
     * @param maxSamples samples per message at most
     * @param maxBytes estimated encoded bytes per message at most (a single larger sample still goes alone)
     * @return the batch, or null if nothing is committed beyond what was sent
     */
    public Batch next(JournalCursor cursor, int maxSamples, long maxBytes) {
        List<Part> parts = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long bytes = 0;
        while (samples.size() < maxSamples && bytes < maxBytes) {
            if (buffered.isEmpty()) {
                JournalRead read = cursor.readFrom(readPosition, maxSamples - samples.size());
                droppedEntries += read.droppedEntries();
                buffered.addAll(read.entries());
                readPosition = read.nextPosition();
                indexInFirst = 0;
                if (buffered.isEmpty()) {
                    break;
                }
            }
            JournalEntry e = buffered.peekFirst();
            int limit = Math.min(e.samples().size(), indexInFirst + maxSamples - samples.size());
            int to = indexInFirst;
            while (to < limit && (to == indexInFirst && samples.isEmpty() || bytes + estimatedBytes(e.samples().get(to)) <= maxBytes)) {
                bytes += estimatedBytes(e.samples().get(to));
                to++;
            }
            if (to == indexInFirst) {
                break;
            }
            boolean last = to == e.samples().size();
            parts.add(new Part(e.position(), indexInFirst, to, last));
            samples.addAll(e.samples().subList(indexInFirst, to));
            if (last) {
                buffered.removeFirst();
                indexInFirst = 0;
            } else {
                indexInFirst = to;
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        for (Part p : parts) {
            Outstanding o = outstanding.computeIfAbsent(p.position(), k -> new Outstanding());
            o.unacknowledged++;
            o.complete |= p.lastOfEntry();
        }
        return new Batch(List.copyOf(parts), List.copyOf(samples));
    }

    /** @return a generous estimate of a sample's size in a telemetry message (JSON) */
    static long estimatedBytes(Sample s) {
        return s.value() instanceof Waveform w ? 64 + 24L * w.length() : 64 + (s.quality().isGood() ? 0 : 16 + s.quality().reason().length());
    }

    /** Records the acknowledgement of a batch. */
    public void acknowledged(Batch batch) {
        for (Part p : batch.parts()) {
            Outstanding o = outstanding.get(p.position());
            if (o != null) {
                o.unacknowledged--;
            }
        }
        while (!outstanding.isEmpty()) {
            Map.Entry<Long, Outstanding> first = outstanding.firstEntry();
            if (first.getValue().complete && first.getValue().unacknowledged == 0) {
                outstanding.pollFirstEntry();
            } else {
                break;
            }
        }
    }

    /** @return the position the cursor may advance to: everything before it is acknowledged */
    public long acknowledgedUpTo() {
        if (!outstanding.isEmpty()) {
            return outstanding.firstKey();
        }
        if (!buffered.isEmpty()) {
            return buffered.peekFirst().position();
        }
        return readPosition;
    }

    /** @return messages' worth of entries read from the journal whose send is pending or unacknowledged */
    int entriesOutstanding() {
        return outstanding.size();
    }

    /** @return entries the journal dropped before this window read them (since start) */
    long droppedEntries() {
        return droppedEntries;
    }
}
