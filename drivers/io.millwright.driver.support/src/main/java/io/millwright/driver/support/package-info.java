/**
 * Plumbing shared by the field drivers: the single-threaded I/O lane of one endpoint, reconnect
 * backoff, device counters with overrun deferral, the device service registration and
 * configuration checks that name the bad value.
 *
 * <p>Not an API: each driver bundle embeds this package privately (bnd {@code -privatepackage}), so
 * updating one driver never refreshes another.
 */
package io.millwright.driver.support;
