/**
 * The history of every numeric channel, kept apart from the raw journal so that trends outlive its budget: raw
 * samples for a short while, then rollups (min, max, mean, count, last and the share of BAD quality) per minute and
 * per hour, each with its own retention. {@link io.millwright.history.api.History#query} answers a range with at most
 * the number of points asked for, from the finest level that holds the range.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.history.api;
