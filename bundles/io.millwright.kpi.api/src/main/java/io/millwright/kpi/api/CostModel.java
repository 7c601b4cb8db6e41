package io.millwright.kpi.api;

import java.util.Objects;

/**
 * What an asset's downtime, energy and repairs cost.
 *
 * @param asset the asset
 * @param currency e.g. EUR
 * @param downtimeCostPerHour lost margin per hour of unplanned downtime
 * @param energyPricePerKwh price of a kWh
 * @param plannedRepairCost parts and labour of a repair planned ahead (e.g. from a WARNING)
 * @param plannedRepairHours how long the asset stands for a planned repair
 * @param unplannedRepairCost parts and labour of a repair after a failure (run to failure: secondary damage, overtime)
 */
public record CostModel(String asset, String currency, double downtimeCostPerHour, double energyPricePerKwh, double plannedRepairCost,
        double plannedRepairHours, double unplannedRepairCost) {

    /** Requires finite, non-negative figures. */
    public CostModel {
        Objects.requireNonNull(asset, "asset");
        currency = currency == null || currency.isBlank() ? "EUR" : currency.trim();
        for (double v : new double[] {downtimeCostPerHour, energyPricePerKwh, plannedRepairCost, plannedRepairHours, unplannedRepairCost}) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(asset + ": cost figures must be finite and >= 0, got " + v);
            }
        }
    }

    /**
     * The saving of one repair planned from a WARNING instead of run to failure: the unplanned repair with its
     * downtime (at the measured mean time to repair) minus the planned repair with its own downtime.
     *
     * @param mttrHours the measured mean time to repair after a failure (NaN: not known, counts as the planned hours)
     * @return the saving per failure avoided
     */
    public double plannedRepairSaving(double mttrHours) {
        double unplannedHours = Double.isNaN(mttrHours) ? plannedRepairHours : mttrHours;
        return unplannedRepairCost + downtimeCostPerHour * unplannedHours - plannedRepairCost - downtimeCostPerHour * plannedRepairHours;
    }
}
