/**
 * Millwright's sample model: immutable values that every bundle on the data path exchanges.
 *
 * <p>A {@link io.millwright.api.Sample} is one reading of one {@link io.millwright.api.ChannelId}
 * (asset + tag): a typed {@link io.millwright.api.Value}, a {@link io.millwright.api.Quality},
 * the source and ingest timestamps (epoch microseconds) and the per-channel sequence number the
 * journal assigned. Drivers create samples without sequence and ingest time; ingest and journal
 * fill them in.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.millwright.api;
