/**
 * The gateway's audit trail: one durable, append-only, hash-chained record of who did what, when, from where, with
 * what before and after, and the result — logins, configuration changes from any source, commands, user and token
 * changes, model changes. Provided by {@code io.millwright.audit}; the trail never holds a secret (values of
 * secret-looking keys are masked before they are written).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.audit.api;
