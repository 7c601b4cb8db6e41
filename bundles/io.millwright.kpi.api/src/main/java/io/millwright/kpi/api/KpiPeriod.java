package io.millwright.kpi.api;

import java.util.Map;

/**
 * The KPIs of one asset or line over one period (ISO 22400-2; docs/kpis.md). Times in milliseconds; ratios 0–1, NaN
 * where undefined (no planned busy time, nothing produced, no failure).
 *
 * @param scope the asset or line id
 * @param granularity the kind of period
 * @param label the period's name: the shift's name, the day (yyyy-MM-dd) or the start time
 * @param startMs start, epoch ms (inclusive)
 * @param endMs end, epoch ms (exclusive)
 * @param observedMs time with a known operating state (the rest had no data)
 * @param plannedBusyMs PBT: observed time minus planned downtime (maintenance)
 * @param runMs APT: time RUNNING
 * @param downtimeMs PBT minus APT
 * @param downtimeByReason unplanned downtime per reason (the trip's text, {@code idle}, {@code stopped})
 * @param plannedDowntimeMs time in maintenance
 * @param producedQuantity PQ: units produced (the count tag's increase)
 * @param goodQuantity GQ: good units
 * @param idealRatePerHour the planned rate (units per hour of run time)
 * @param failures trips starting in the period
 * @param repairs trips ending in the period
 * @param repairMs total duration of the trips ending in the period
 * @param energyKwh energy used
 * @param availability APT / PBT
 * @param performance PQ / (APT × ideal rate)
 * @param quality GQ / PQ
 * @param oee availability × performance × quality
 * @param mtbfHours mean operating time between failures: APT / failures
 * @param mttrHours mean time to repair: repair time / repairs
 * @param energyPerUnit kWh per unit produced
 * @param unit the unit of the count
 * @param currency the cost model's currency, empty without one
 * @param downtimeCost unplanned downtime hours × downtime cost per hour (NaN without a cost model)
 * @param energyCost kWh × price (NaN without a cost model)
 * @param savingIfPlanned failures × the saving of a repair planned from a WARNING instead of run to failure (NaN without
 *        a cost model)
 */
public record KpiPeriod(String scope, Granularity granularity, String label, long startMs, long endMs, long observedMs, long plannedBusyMs,
        long runMs, long downtimeMs, Map<String, Long> downtimeByReason, long plannedDowntimeMs, double producedQuantity, double goodQuantity,
        double idealRatePerHour, long failures, long repairs, long repairMs, double energyKwh, double availability, double performance,
        double quality, double oee, double mtbfHours, double mttrHours, double energyPerUnit, String unit, String currency,
        double downtimeCost, double energyCost, double savingIfPlanned) {

    /** Copies the map. */
    public KpiPeriod {
        downtimeByReason = Map.copyOf(downtimeByReason);
    }
}
