package io.millwright.api;

import java.util.List;
import java.util.Objects;

/**
 * Samples from one source (a device) handed over together: the unit of transfer from drivers to
 * ingest and from ingest to the journal.
 *
 * @param source the device id that produced the samples
 * @param samples the samples, copied into an immutable list
 */
public record SampleBatch(String source, List<Sample> samples) {
    /** Copies the list. */
    public SampleBatch {
        Objects.requireNonNull(source, "source");
        samples = List.copyOf(samples);
    }

    /** @return the number of samples */
    public int size() {
        return samples.size();
    }
}
