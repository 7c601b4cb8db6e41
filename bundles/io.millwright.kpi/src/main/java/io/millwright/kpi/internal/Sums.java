package io.millwright.kpi.internal;

import io.millwright.kpi.api.CostModel;
import io.millwright.kpi.api.Granularity;
import io.millwright.kpi.api.KpiPeriod;
import java.util.Map;
import java.util.TreeMap;

/**
 * The additive quantities of a period (one asset's buckets, or a line's assets), and the ISO 22400-2 ratios from them.
 * docs/kpis.md gives the formulas.
 */
final class Sums {

    long observedMs;
    long maintenanceMs;
    long runMs;
    final Map<String, Long> downtimeByReason = new TreeMap<>();
    double produced;
    double good;
    /** units the run time would have made at the ideal rate */
    double idealQuantity;
    double energyKwh;
    long failures;
    long repairs;
    long repairMs;
    double downtimeCost = Double.NaN;
    double energyCost = Double.NaN;
    double savingIfPlanned = Double.NaN;
    String currency = "";
    String unit = "";
    boolean any;

    /** One bucket of one asset, costed by the asset's cost model (or not, without one). */
    static Sums of(Bucket b, KpiClass k, CostModel cost) {
        Sums s = new Sums();
        s.add(b, k);
        s.cost(cost);
        return s;
    }

    void add(Bucket b, KpiClass k) {
        any = true;
        observedMs += b.observedMs;
        maintenanceMs += b.maintenanceMs;
        runMs += b.runMs;
        b.downtimeByReason.forEach((r, ms) -> downtimeByReason.merge(r, ms, Long::sum));
        produced += b.produced;
        good += !k.goodCountTag().isEmpty() ? b.good : !k.rejectCountTag().isEmpty() ? Math.max(0, b.produced - b.rejected) : b.produced;
        idealQuantity += b.runMs / 3.6e6 * k.idealRatePerHour();
        energyKwh += b.energyKwh;
        failures += b.failures;
        repairs += b.repairs;
        repairMs += b.repairMs;
        unit = k.unit();
    }

    /** Costs of an asset's period from its cost model; without one they stay NaN. */
    void cost(CostModel cost) {
        if (cost == null) {
            return;
        }
        currency = cost.currency();
        downtimeCost = downtimeMs() / 3.6e6 * cost.downtimeCostPerHour();
        energyCost = energyKwh * cost.energyPricePerKwh();
        savingIfPlanned = failures * cost.plannedRepairSaving(mttrHours());
    }

    /** Adds another asset's (costed) sums: a line's period. */
    void plus(Sums o) {
        any |= o.any;
        observedMs += o.observedMs;
        maintenanceMs += o.maintenanceMs;
        runMs += o.runMs;
        o.downtimeByReason.forEach((r, ms) -> downtimeByReason.merge(r, ms, Long::sum));
        produced += o.produced;
        good += o.good;
        idealQuantity += o.idealQuantity;
        energyKwh += o.energyKwh;
        failures += o.failures;
        repairs += o.repairs;
        repairMs += o.repairMs;
        downtimeCost = sum(downtimeCost, o.downtimeCost);
        energyCost = sum(energyCost, o.energyCost);
        savingIfPlanned = sum(savingIfPlanned, o.savingIfPlanned);
        currency = currency.isEmpty() ? o.currency : currency.equals(o.currency) || o.currency.isEmpty() ? currency : "mixed";
        unit = unit.isEmpty() ? o.unit : unit.equals(o.unit) || o.unit.isEmpty() ? unit : "mixed";
    }

    private static double sum(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : a + b;
    }

    long plannedBusyMs() {
        return observedMs - maintenanceMs;
    }

    long downtimeMs() {
        long d = 0;
        for (long v : downtimeByReason.values()) {
            d += v;
        }
        return d;
    }

    double availability() {
        return plannedBusyMs() > 0 ? (double) runMs / plannedBusyMs() : Double.NaN;
    }

    double performance() {
        return idealQuantity > 0 ? produced / idealQuantity : Double.NaN;
    }

    double quality() {
        return produced > 0 ? good / produced : Double.NaN;
    }

    /** A × P × Q; 0 when the asset did not run at all in planned busy time (P and Q are then moot), NaN without PBT. */
    double oee() {
        double a = availability();
        return a == 0 ? 0 : a * performance() * quality();
    }

    double mtbfHours() {
        return failures > 0 ? runMs / 3.6e6 / failures : Double.NaN;
    }

    double mttrHours() {
        return repairs > 0 ? repairMs / 3.6e6 / repairs : Double.NaN;
    }

    double energyPerUnit() {
        return produced > 0 ? energyKwh / produced : Double.NaN;
    }

    KpiPeriod period(String scope, Granularity g, Calendar.Period p) {
        double rate = runMs > 0 ? idealQuantity / (runMs / 3.6e6) : Double.NaN;
        return new KpiPeriod(scope, g, p.label(), p.startMs(), p.endMs(), observedMs, plannedBusyMs(), runMs, downtimeMs(), downtimeByReason,
                maintenanceMs, produced, good, rate, failures, repairs, repairMs, energyKwh, availability(), performance(), quality(), oee(),
                mtbfHours(), mttrHours(), energyPerUnit(), unit, currency, downtimeCost, energyCost, savingIfPlanned);
    }
}
