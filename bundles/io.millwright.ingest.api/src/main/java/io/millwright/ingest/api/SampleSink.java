package io.millwright.ingest.api;

import io.millwright.api.SampleBatch;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where devices hand their samples: the gateway's ingest, provided as an OSGi service.
 *
 * <p>{@link #submit} returns at once and never blocks on storage. Ingest validates each sample
 * (declared type, finite value, engineering bounds, timestamp sanity), sets its ingest time and
 * quality, and queues it for the journal. Samples of the wrong type are rejected and counted;
 * non-finite or out-of-range numbers are kept with BAD quality; doubtful timestamps with
 * UNCERTAIN quality.
 */
@ProviderType
public interface SampleSink {

    /**
     * @param batch samples from one device
     * @return ACCEPTED, or OVERRUN when the queue is full and nothing was taken
     */
    SubmitResult submit(SampleBatch batch);

    /** @return counters since the sink started */
    IngestStatistics statistics();
}
