package io.millwright.testing;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SampleSink} that keeps every batch it accepts, for tests of what a producer submits; {@link #full} makes
 * it refuse with {@link SubmitResult#OVERRUN}, as ingest does when the journal's queue is full.
 */
public final class CollectingSink implements SampleSink {

    private final List<SampleBatch> batches = new CopyOnWriteArrayList<>();
    private volatile boolean full;

    @Override
    public SubmitResult submit(SampleBatch batch) {
        if (full) {
            return SubmitResult.OVERRUN;
        }
        batches.add(batch);
        return SubmitResult.ACCEPTED;
    }

    @Override
    public IngestStatistics statistics() {
        return new IngestStatistics(IngestStatistics.Counts.ZERO, Map.of());
    }

    /** @param refuse true to refuse every batch from now on (OVERRUN), false to accept again */
    public void full(boolean refuse) {
        this.full = refuse;
    }

    /** @return the batches accepted so far, oldest first */
    public List<SampleBatch> batches() {
        return List.copyOf(batches);
    }

    /**
     * @param channel {@code asset/tag}
     * @return the samples of that channel accepted so far, oldest first
     */
    public List<Sample> of(String channel) {
        ChannelId id = ChannelId.parse(channel);
        return batches.stream().flatMap(b -> b.samples().stream()).filter(s -> s.channel().equals(id)).toList();
    }

    /**
     * @param channel {@code asset/tag}
     * @return the newest sample of that channel, or null
     */
    public Sample latest(String channel) {
        List<Sample> all = of(channel);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }
}
