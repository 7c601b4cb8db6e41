package io.millwright.features;

import io.millwright.analytics.api.WindowRange;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.api.Waveform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cuts one asset's stream of samples (in time order, as the journal hands them out) into windows of a fixed length
 * every hop: window {@code k} covers {@code [k·hop, k·hop + length)} in epoch µs. A window is complete, and handed
 * to the consumer, once a sample at or after its end arrives. Samples older than the oldest open window are late:
 * they are counted, not used. Chunking of the input does not matter: feeding samples one by one or in journal
 * batches gives the same windows. Not thread-safe: one assembler per asset, fed by one reader.
 */
public final class WindowAssembler {

    /** A complete window: its range and its samples by tag. */
    public record Window(WindowRange range, Map<String, ChannelWindow> channels) {
    }

    private record Entry(String tag, long timeMicros, Value value, long position) {
    }

    private final long lengthMicros;
    private final long hopMicros;
    private final Consumer<Window> out;
    private final Deque<Entry> buffer = new ArrayDeque<>();
    private long nextStart = Long.MIN_VALUE;
    private long late;

    /**
     * @param lengthMicros window length
     * @param hopMicros time between window starts
     * @param out receives complete windows, oldest first
     */
    public WindowAssembler(long lengthMicros, long hopMicros, Consumer<Window> out) {
        if (lengthMicros <= 0 || hopMicros <= 0) {
            throw new IllegalArgumentException("window " + lengthMicros + " µs, hop " + hopMicros + " µs: both must be > 0");
        }
        this.lengthMicros = lengthMicros;
        this.hopMicros = hopMicros;
        this.out = out;
    }

    /**
     * @param tag the channel's tag within the asset, e.g. {@code vibration}
     * @param timeMicros its time, epoch µs
     * @param value its value (numbers, booleans as 0/1, waveforms; strings are ignored)
     * @param journalPosition where the journal holds it
     */
    public void accept(String tag, long timeMicros, Value value, long journalPosition) {
        if (value.type() == ValueType.STRING) {
            return;
        }
        if (nextStart == Long.MIN_VALUE) {
            nextStart = Math.floorDiv(timeMicros, hopMicros) * hopMicros;
        }
        if (timeMicros < nextStart) {
            late++;
            return;
        }
        while (timeMicros >= nextStart + lengthMicros) {
            emit(nextStart);
            nextStart += hopMicros;
            while (!buffer.isEmpty() && buffer.peekFirst().timeMicros() < nextStart) {
                buffer.removeFirst();
            }
            if (buffer.isEmpty()) { // a gap: jump to the first window that holds this sample
                nextStart = Math.max(nextStart, (Math.floorDiv(timeMicros - lengthMicros, hopMicros) + 1) * hopMicros);
            }
        }
        buffer.addLast(new Entry(tag, timeMicros, value, journalPosition));
    }

    private void emit(long start) {
        long end = start + lengthMicros;
        Map<String, List<Entry>> byTag = new LinkedHashMap<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Entry e : buffer) {
            if (e.timeMicros() >= start && e.timeMicros() < end) {
                byTag.computeIfAbsent(e.tag(), t -> new ArrayList<>()).add(e);
                from = Math.min(from, e.position());
                to = Math.max(to, e.position());
            }
        }
        if (byTag.isEmpty()) {
            return; // nothing in the window: no vector
        }
        Map<String, ChannelWindow> channels = new HashMap<>();
        for (Map.Entry<String, List<Entry>> t : byTag.entrySet()) {
            List<Entry> es = t.getValue();
            List<Waveform> waves = new ArrayList<>();
            int scalars = (int) es.stream().filter(e -> !(e.value() instanceof Waveform)).count();
            long[] times = new long[scalars];
            double[] values = new double[scalars];
            int i = 0;
            for (Entry e : es) {
                if (e.value() instanceof Waveform w) {
                    waves.add(w);
                } else {
                    times[i] = e.timeMicros();
                    values[i++] = e.value().asDouble();
                }
            }
            channels.put(t.getKey(), new ChannelWindow(times, values, waves));
        }
        out.accept(new Window(new WindowRange(from, to + 1, start, end), channels));
    }

    /**
     * @return the journal position of the oldest sample still held for a window not yet complete, or
     *     {@link Long#MAX_VALUE} if none: a reader that must not lose open windows across a restart keeps its durable
     *     position at or before it
     */
    public long oldestPosition() {
        long oldest = Long.MAX_VALUE;
        for (Entry e : buffer) {
            oldest = Math.min(oldest, e.position());
        }
        return oldest;
    }

    /** @return samples that arrived after their windows had closed */
    public long late() {
        return late;
    }
}
