package io.millwright.rest.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Waveform;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API serves live: the latest committed value of every channel, and the recent committed samples as events
 * for {@code /api/v1/events}. Reads the journal through the durable cursor {@value #CURSOR} (thread
 * {@code rest-live}, every 250 ms), so only committed samples are served. An event's id is the journal position after
 * it: a client that reconnects with {@code Last-Event-ID} gets what it missed while the ring ({@value #RING_EVENTS}
 * events) still holds it, and a {@code reset} event otherwise (it then reloads from the history).
 */
final class LiveFeed implements AutoCloseable {

    static final String CURSOR = "rest-live";
    static final int RING_EVENTS = 4000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** The latest committed sample of a channel. */
    record Latest(Sample sample) {
    }

    /**
     * Committed samples of one read, as JSON arrays per asset.
     *
     * @param id the journal position after them
     * @param byAsset the asset's samples as a JSON array
     */
    record Event(long id, Map<String, String> byAsset) {
    }

    private final JournalCursor cursor;
    private final Map<ChannelId, Sample> latest = new ConcurrentHashMap<>();
    private final Deque<Event> ring = new ArrayDeque<>();
    private final ScheduledExecutorService thread;
    private long lastId;

    LiveFeed(Journal journal) {
        this.cursor = journal.openCursor(CURSOR, StartAt.LATEST);
        this.lastId = cursor.position();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rest-live");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::read, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void read() {
        try {
            for (int i = 0; i < 20; i++) {
                JournalRead read = cursor.read(20_000);
                if (read.entries().isEmpty() && read.droppedEntries() == 0) {
                    return;
                }
                Map<String, StringBuilder> byAsset = new LinkedHashMap<>();
                for (JournalEntry e : read.entries()) {
                    for (Sample s : e.samples()) {
                        latest.merge(s.channel(), s, (old, now) -> now.sourceTimeMicros() >= old.sourceTimeMicros() ? now : old);
                        StringBuilder b = byAsset.computeIfAbsent(s.channel().asset(), a -> new StringBuilder("["));
                        if (b.length() > 1) {
                            b.append(',');
                        }
                        sampleJson(b, s);
                    }
                }
                cursor.advance(read.nextPosition());
                Map<String, String> json = new LinkedHashMap<>();
                byAsset.forEach((asset, b) -> json.put(asset, b.append(']').toString()));
                synchronized (ring) {
                    lastId = read.nextPosition();
                    ring.addLast(new Event(lastId, json));
                    while (ring.size() > RING_EVENTS) {
                        ring.removeFirst();
                    }
                    ring.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("API live feed could not read the journal: {}", e.toString());
        }
    }

    /** A sample as {@code {"tag":…,"seq":n,"t":epochMillis,"v":…,"q":"GOOD"}} (seq: the channel's sequence number) (a waveform as its RMS, {@code "rms":true}). */
    static void sampleJson(StringBuilder b, Sample s) {
        b.append("{\"tag\":").append(Json.quote(s.channel().tag())).append(",\"seq\":").append(s.sequence()).append(",\"t\":")
                .append(s.sourceTimeMicros() / 1000).append(",\"v\":");
        if (s.value() instanceof StringValue str) {
            b.append(Json.quote(str.value()));
        } else if (s.value() instanceof io.millwright.api.BooleanValue bool) {
            b.append(bool.value());
        } else if (s.value() instanceof Waveform w) {
            b.append(Json.number(rms(w))).append(",\"rms\":true");
        } else {
            b.append(Json.number(s.value().asDouble()));
        }
        b.append(",\"q\":\"").append(s.quality().level()).append('"');
        if (!s.quality().reason().isEmpty()) {
            b.append(",\"reason\":").append(Json.quote(s.quality().reason()));
        }
        b.append('}');
    }

    static double rms(Waveform w) {
        double sum = 0;
        for (int i = 0; i < w.length(); i++) {
            sum += w.point(i) * w.point(i);
        }
        return w.length() == 0 ? Double.NaN : Math.sqrt(sum / w.length());
    }

    Map<ChannelId, Sample> latest() {
        return Map.copyOf(latest);
    }

    /** @return the id of the newest event */
    long lastId() {
        synchronized (ring) {
            return lastId;
        }
    }

    /**
     * Waits up to the timeout for events after {@code afterId}.
     *
     * @return the events after it, oldest first; null when the ring no longer reaches back to it (the client resets)
     */
    List<Event> after(long afterId, long timeoutMillis) throws InterruptedException {
        synchronized (ring) {
            if (lastId <= afterId) {
                ring.wait(timeoutMillis);
            }
            if (afterId > lastId) {
                return null; // an id from before a restart of the journal's positions
            }
            Event oldest = ring.peekFirst();
            if (oldest != null && afterId < oldest.id() - 1 && afterId < lastId) {
                // missed events may have fallen out of the ring: resumable only if the first one kept follows it
                boolean contiguous = false;
                for (Event e : ring) {
                    if (e.id() > afterId) {
                        break;
                    }
                    contiguous = true;
                }
                if (!contiguous) {
                    return null;
                }
            }
            List<Event> out = new ArrayList<>();
            for (Event e : ring) {
                if (e.id() > afterId) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (ring) {
            ring.notifyAll();
        }
        cursor.close();
    }
}
