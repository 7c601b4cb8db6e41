package io.millwright.ingest.api;

import java.util.Map;

/**
 * Counters of ingest since it started, in total and per source (device id).
 *
 * @param total the sum over all sources
 * @param bySource counters per device id
 */
public record IngestStatistics(Counts total, Map<String, Counts> bySource) {
    /** Copies the map. */
    public IngestStatistics {
        bySource = Map.copyOf(bySource);
    }

    /**
     * @param accepted samples queued for the journal (including those kept with BAD quality)
     * @param rejected samples refused (e.g. wrong type) and not stored
     * @param bad samples stored with BAD quality (non-finite, out of range, or BAD from the device)
     * @param uncertain samples stored with UNCERTAIN quality (e.g. timestamps in the future)
     * @param overruns batches refused because the journal's queue was full
     * @param overrunSamples samples in those batches
     * @param lastRejection the reason of the most recent rejection, empty if none
     */
    public record Counts(long accepted, long rejected, long bad, long uncertain, long overruns, long overrunSamples,
            String lastRejection) {
        /** No samples. */
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, "");
    }
}
