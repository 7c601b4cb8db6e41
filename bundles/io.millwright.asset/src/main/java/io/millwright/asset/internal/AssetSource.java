package io.millwright.asset.internal;

import java.util.List;

/**
 * One asset as configured, before it is bound to its class and devices.
 *
 * @param pid the configuration's PID
 * @param assetId the asset's id
 * @param name a human name
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param assetClass the class's name
 * @param criticality A, B or C
 * @param components components
 * @param tags tag lines
 * @param alarmOverrides override lines ({@code alarm settings…} or {@code alarm disabled})
 * @param lastMaintenance ISO date of the last recorded maintenance
 */
public record AssetSource(String pid, String assetId, String name, String site, String area, String line, String assetClass,
        String criticality, List<String> components, List<String> tags, List<String> alarmOverrides, String lastMaintenance) {
    /** Copies the lists. */
    public AssetSource {
        components = List.copyOf(components);
        tags = List.copyOf(tags);
        alarmOverrides = List.copyOf(alarmOverrides);
    }
}
