package io.millwright.web.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The newest committed sample of every channel, fed from the live view's journal cursor. */
final class LatestValues {
    private final ConcurrentHashMap<ChannelId, Sample> latest = new ConcurrentHashMap<>();

    void accept(JournalRead read) {
        for (JournalEntry e : read.entries()) {
            for (Sample s : e.samples()) {
                latest.merge(s.channel(), s, (old, neu) -> neu.sequence() >= old.sequence() ? neu : old);
            }
        }
    }

    /** @return a sorted snapshot */
    Map<ChannelId, Sample> snapshot() {
        TreeMap<ChannelId, Sample> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        out.putAll(latest);
        return out;
    }
}
