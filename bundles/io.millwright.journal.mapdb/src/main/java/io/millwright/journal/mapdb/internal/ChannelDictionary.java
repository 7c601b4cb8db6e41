package io.millwright.journal.mapdb.internal;

import io.millwright.api.ChannelId;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers the channels so that entries store a small index instead of the name, and keeps the
 * last sequence number assigned per channel. Index lookups are lock-free; additions and
 * sequence assignment happen under the journal's append lock.
 */
final class ChannelDictionary {

    private final ConcurrentHashMap<ChannelId, Integer> indexByChannel = new ConcurrentHashMap<>();
    private volatile ChannelId[] channels = new ChannelId[0];
    private long[] lastSequence = new long[0];

    /** Restores a channel known from the store. */
    void restore(int index, ChannelId channel, long lastSeq) {
        ensureCapacity(index + 1);
        channels[index] = channel;
        lastSequence[index] = lastSeq;
        indexByChannel.put(channel, index);
    }

    private void ensureCapacity(int n) {
        if (channels.length < n) {
            channels = Arrays.copyOf(channels, n);
            lastSequence = Arrays.copyOf(lastSequence, n);
        }
    }

    /** Returns the index of the channel, adding it if new. Call under the append lock. */
    int indexOrAdd(ChannelId channel) {
        Integer index = indexByChannel.get(channel);
        if (index != null) {
            return index;
        }
        int next = size();
        ChannelId[] grown = Arrays.copyOf(channels, next + 1);
        grown[next] = channel;
        lastSequence = Arrays.copyOf(lastSequence, next + 1);
        channels = grown;
        indexByChannel.put(channel, next);
        return next;
    }

    /** @return the next sequence number of the channel at this index. Call under the append lock. */
    long nextSequence(int index) {
        return ++lastSequence[index];
    }

    long lastSequence(int index) {
        return lastSequence[index];
    }

    int index(ChannelId channel) {
        Integer index = indexByChannel.get(channel);
        if (index == null) {
            throw new IllegalStateException("channel " + channel + " has no index");
        }
        return index;
    }

    ChannelId channel(int index) {
        ChannelId[] c = channels;
        return index >= 0 && index < c.length ? c[index] : null;
    }

    int size() {
        return channels.length;
    }
}
