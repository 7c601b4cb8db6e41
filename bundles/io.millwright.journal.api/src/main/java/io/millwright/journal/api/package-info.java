/**
 * The durable journal: every accepted sample, in per-channel sequence, on the gateway's disk.
 *
 * <p>Writers {@link io.millwright.journal.api.Journal#append append} batches; the journal assigns
 * each sample its per-channel sequence number and commits in groups. Readers (twin, features,
 * uplink, live view) each own a named, durable {@link io.millwright.journal.api.JournalCursor}
 * and see only committed entries; a slow or absent reader never blocks appends. When the disk
 * budget is reached the oldest entries are dropped; every dropped sample is counted and reported
 * as a {@link io.millwright.journal.api.Gap}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.millwright.journal.api;
