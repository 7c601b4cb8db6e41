package io.millwright.alarm.api;

/**
 * Where an alarm's asset sits in the plant (ISA-95) and what it is: what filters and notification rules select by.
 *
 * @param site the site
 * @param area the area
 * @param line the line (or cell, unit)
 * @param assetClass the asset class, e.g. {@code pump}
 * @param criticality A (most critical), B or C
 */
public record AlarmContext(String site, String area, String line, String assetClass, String criticality) {
    /** Missing parts become empty. */
    public AlarmContext {
        site = site == null ? "" : site;
        area = area == null ? "" : area;
        line = line == null ? "" : line;
        assetClass = assetClass == null ? "" : assetClass;
        criticality = criticality == null ? "" : criticality;
    }
}
