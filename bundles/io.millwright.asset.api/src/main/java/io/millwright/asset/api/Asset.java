package io.millwright.asset.api;

import io.millwright.alarm.api.AlarmDefinition;
import java.util.List;
import java.util.Optional;

/**
 * One configured asset.
 *
 * @param id the asset's id, the asset part of its channels' ids (e.g. {@code pump-1})
 * @param name a human name
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line (work centre, unit)
 * @param assetClass the class's name
 * @param criticality A, B or C
 * @param components the asset's components (e.g. {@code motor}, {@code drive-end-bearing})
 * @param tags the tags, each bound to a source channel
 * @param alarms the effective alarm definitions: the class's, with this asset's overrides, minus those it disables
 * @param lastMaintenance the date of the last maintenance the configuration records (ISO date), empty if none
 */
public record Asset(String id, String name, String site, String area, String line, String assetClass, Criticality criticality,
        List<String> components, List<AssetTag> tags, List<AlarmDefinition> alarms, String lastMaintenance) {

    /** Copies the lists. */
    public Asset {
        components = List.copyOf(components);
        tags = List.copyOf(tags);
        alarms = List.copyOf(alarms);
        lastMaintenance = lastMaintenance == null ? "" : lastMaintenance;
    }

    /**
     * @param tagName a canonical tag name
     * @return the tag, if the asset has it
     */
    public Optional<AssetTag> tag(String tagName) {
        return tags.stream().filter(t -> t.name().equals(tagName)).findFirst();
    }

    /** @return {@code site/area/line/id} */
    public String path() {
        return site + "/" + area + "/" + line + "/" + id;
    }
}
