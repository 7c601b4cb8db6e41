/**
 * The audit trail's file, for tools outside the gateway (the {@code millwright-audit} verifier, the
 * {@code millwright-users} command, which records its changes in the same trail): {@link AuditFile#open}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.audit.file;
