/**
 * Key performance indicators of the assets and lines as ISO 22400-2 defines them (availability, performance, quality,
 * OEE, MTBF, MTTR, downtime by reason, energy per unit) per bucket, hour, shift and day, and what they cost
 * ({@link io.millwright.kpi.api.CostModel}): the {@link io.millwright.kpi.api.Kpis} service. Formulas: docs/kpis.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.kpi.api;
