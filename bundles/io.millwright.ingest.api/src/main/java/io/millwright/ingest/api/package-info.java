/**
 * Ingest: the one way samples enter the gateway's data path.
 *
 * <p>Drivers, streaming readers (features, scores) and anything else that produces samples submit batches to the
 * platform's {@link io.millwright.ingest.api.SampleSink}, which validates and stamps them and appends them to the
 * journal. It returns at once; when the journal's queue is full the batch is refused with
 * {@link io.millwright.ingest.api.SubmitResult#OVERRUN} and the producer defers its next batch and counts the
 * overrun, so a gap is visible, never silent. {@link io.millwright.ingest.api.IngestStatistics} are ingest's figures
 * per source. (Split from the driver SPI in wave 2: analytics and the uplink no longer import the driver SPI.)
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.millwright.ingest.api;
