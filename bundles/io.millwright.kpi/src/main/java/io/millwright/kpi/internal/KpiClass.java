package io.millwright.kpi.internal;

/**
 * Which tags of an asset class mean what for KPIs. Running, idle, stopped, tripped and maintenance come from the twin's
 * operating state (the class's {@code runningTag}, {@code tripTag}, {@code loadTag} in the asset model), journaled as
 * {@code <asset>/twin.state}.
 *
 * @param assetClass the asset class
 * @param countTag the counter of units produced (required)
 * @param goodCountTag the counter of good units, empty if none
 * @param rejectCountTag the counter of rejected units, empty if none (good = produced − rejected)
 * @param energyTag the energy counter in kWh, empty if none
 * @param reasonTag the tag naming a trip's reason, empty for the twin's trip tag
 * @param idealRatePerHour the planned rate, units per hour of run time
 * @param unit the count's unit for display
 */
record KpiClass(String assetClass, String countTag, String goodCountTag, String rejectCountTag, String energyTag, String reasonTag,
        double idealRatePerHour, String unit) {

    KpiClass {
        if (assetClass == null || assetClass.isBlank()) {
            throw new IllegalArgumentException("assetClass is required");
        }
        if (countTag == null || countTag.isBlank()) {
            throw new IllegalArgumentException("countTag is required (the counter of units produced)");
        }
        if (!(idealRatePerHour > 0) || !Double.isFinite(idealRatePerHour)) {
            throw new IllegalArgumentException("idealRatePerHour " + idealRatePerHour + " must be a positive number (units per hour of run time)");
        }
        goodCountTag = text(goodCountTag);
        rejectCountTag = text(rejectCountTag);
        energyTag = text(energyTag);
        reasonTag = text(reasonTag);
        unit = text(unit);
        if (!goodCountTag.isEmpty() && !rejectCountTag.isEmpty()) {
            throw new IllegalArgumentException("goodCountTag and rejectCountTag: give one of them, not both");
        }
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }
}
