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
 * may move: to the first position that is not yet sent and acknowledged in full.
 *
 * <p>Order: {@link Order#OLDEST_FIRST} sends in journal order. {@link Order#LIVE_FIRST}, after a
 * (re)connect with a backlog, gives entries committed from then on priority and drains the backlog
 * oldest-first behind them; the cursor still only moves over contiguous acknowledged entries, so a
 * crash resends (never skips) the backlog.
 *
 * <p>Not thread-safe: the uplink's lane owns it.
 */
public final class SendWindow {

    /** Which samples go first when there is a backlog. */
    public enum Order {
        /** Strict journal order: live samples wait behind the backlog. */
        OLDEST_FIRST,
        /** New samples first, the backlog oldest-first in the remaining capacity. */
        LIVE_FIRST
    }

    /** A slice of one journal entry. */
    public record Part(long position, int from, int to, boolean lastOfEntry) {
    }

    /** The samples of one message, where they came from, and their journal epoch (a batch never mixes epochs). */
    public record Batch(List<Part> parts, List<Sample> samples, long epoch) {
    }

    private static final class Outstanding {
        int unacknowledged;
        boolean complete;
    }

    /** Reads entries in order from a start position up to (not including) a limit. */
    private static final class Lane {
        final Deque<JournalEntry> buffered = new ArrayDeque<>();
        int indexInFirst;
        long readPosition;
        final long limit;

        Lane(long start, long limit) {
            this.readPosition = start;
            this.limit = limit;
        }

        boolean exhausted() {
            return readPosition >= limit && buffered.isEmpty();
        }

        /** @return the first position with something not yet sent */
        long nextUnsent() {
            return buffered.isEmpty() ? readPosition : buffered.peekFirst().position();
        }
    }

    private final TreeMap<Long, Outstanding> outstanding = new TreeMap<>();
    private Lane main = new Lane(1, Long.MAX_VALUE);
    private Lane live;

    /** Forgets everything in flight and starts again from the cursor's durable position, in journal order. */
    public void reset(long cursorPosition) {
        reset(cursorPosition, cursorPosition, Order.OLDEST_FIRST);
    }

    /**
     * Forgets everything in flight and starts again from the cursor's durable position.
     *
     * @param cursorPosition where the backlog starts
     * @param committedEnd the journal's committed end now: where live data starts
     * @param order the order policy
     */
    public void reset(long cursorPosition, long committedEnd, Order order) {
        outstanding.clear();
        if (order == Order.LIVE_FIRST && committedEnd > cursorPosition) {
            main = new Lane(cursorPosition, committedEnd);
            live = new Lane(committedEnd, Long.MAX_VALUE);
        } else {
            main = new Lane(cursorPosition, Long.MAX_VALUE);
            live = null;
        }
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
        if (live != null) {
            Batch fresh = cut(live, cursor, maxSamples, maxBytes);
            if (fresh != null) {
                return fresh;
            }
            Batch old = cut(main, cursor, maxSamples, maxBytes);
            if (main.exhausted()) {
                main = live;
                live = null;
            }
            if (old != null) {
                return old;
            }
        }
        return cut(main, cursor, maxSamples, maxBytes);
    }

    private Batch cut(Lane lane, JournalCursor cursor, int maxSamples, long maxBytes) {
        List<Part> parts = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long bytes = 0;
        long epoch = -1;
        while (samples.size() < maxSamples && bytes < maxBytes) {
            if (lane.buffered.isEmpty()) {
                if (lane.readPosition >= lane.limit) {
                    break;
                }
                JournalRead read = cursor.readFrom(lane.readPosition, maxSamples - samples.size());
                for (JournalEntry e : read.entries()) {
                    if (e.position() < lane.limit) {
                        lane.buffered.add(e);
                    }
                }
                lane.readPosition = Math.min(read.nextPosition(), lane.limit);
                lane.indexInFirst = 0;
                if (lane.buffered.isEmpty()) {
                    break;
                }
            }
            JournalEntry e = lane.buffered.peekFirst();
            if (!parts.isEmpty() && e.epoch() != epoch) {
                break;
            }
            epoch = e.epoch();
            int limit = Math.min(e.samples().size(), lane.indexInFirst + maxSamples - samples.size());
            int to = lane.indexInFirst;
            while (to < limit && (to == lane.indexInFirst && samples.isEmpty() || bytes + estimatedBytes(e.samples().get(to)) <= maxBytes)) {
                bytes += estimatedBytes(e.samples().get(to));
                to++;
            }
            if (to == lane.indexInFirst) {
                break;
            }
            boolean last = to == e.samples().size();
            parts.add(new Part(e.position(), lane.indexInFirst, to, last));
            samples.addAll(e.samples().subList(lane.indexInFirst, to));
            if (last) {
                lane.buffered.removeFirst();
                lane.indexInFirst = 0;
            } else {
                lane.indexInFirst = to;
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
        return new Batch(List.copyOf(parts), List.copyOf(samples), epoch);
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
    }

    /** @return the position the cursor may advance to: everything before it is sent and acknowledged */
    public long acknowledgedUpTo() {
        long unsent = main.nextUnsent();
        while (!outstanding.isEmpty()) {
            Map.Entry<Long, Outstanding> first = outstanding.firstEntry();
            if (first.getKey() < unsent && first.getValue().complete && first.getValue().unacknowledged == 0) {
                outstanding.pollFirstEntry();
            } else {
                break;
            }
        }
        return outstanding.isEmpty() ? unsent : Math.min(unsent, outstanding.firstKey());
    }
}
