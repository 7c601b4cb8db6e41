/**
 * Opening a MapDB journal folder outside the gateway, for reading only ({@link io.millwright.journal.mapdb.MapDbJournalArchive}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.journal.mapdb;
