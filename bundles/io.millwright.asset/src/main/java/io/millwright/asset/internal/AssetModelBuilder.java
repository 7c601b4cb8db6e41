package io.millwright.asset.internal;

import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.api.ChannelId;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Criticality;
import io.millwright.asset.api.TagTemplate;
import io.millwright.driver.api.ChannelDescriptor;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the asset model from the configured classes and assets and the channels the devices declare: each asset's
 * tags (its class's template, then its own lines), their source channels and unit conversions, its effective alarms.
 * What cannot be built is a problem naming the PID, the attribute and the reason; a broken tag or alarm leaves out only
 * that tag or alarm, a broken asset or class only that asset or class.
 */
final class AssetModelBuilder {

    /**
     * The model.
     *
     * @param classes classes by name
     * @param assets assets by id
     * @param bindings source channel to (asset, tag)
     * @param problems what is wrong
     */
    record Built(Map<String, AssetClass> classes, Map<String, Asset> assets, Map<ChannelId, io.millwright.asset.api.AssetModel.Binding> bindings,
            List<String> problems) {
    }

    private AssetModelBuilder() {
    }

    static Built build(Collection<ClassSource> classSources, Collection<AssetSource> assetSources, Map<ChannelId, ChannelDescriptor> channels) {
        List<String> problems = new ArrayList<>();
        Map<String, AssetClass> classes = new TreeMap<>();
        for (ClassSource cs : classSources) {
            if (cs.problem() != null) {
                problems.add(cs.problem());
            } else if (classes.putIfAbsent(cs.assetClass().name(), cs.assetClass()) != null) {
                problems.add(cs.pid() + ": name '" + cs.assetClass().name() + "' — another class has that name; this one is left out");
            }
        }
        Map<String, Asset> assets = new TreeMap<>();
        Map<ChannelId, io.millwright.asset.api.AssetModel.Binding> bindings = new HashMap<>();
        List<AssetSource> sorted = new ArrayList<>(assetSources);
        sorted.sort((a, b) -> a.pid().compareTo(b.pid()));
        for (AssetSource src : sorted) {
            try {
                Asset asset = asset(src, classes, channels, problems);
                if (assets.containsKey(asset.id())) {
                    problems.add(src.pid() + ": assetId '" + asset.id() + "' — another asset has that id; this one is left out");
                    continue;
                }
                List<AssetTag> kept = new ArrayList<>();
                for (AssetTag t : asset.tags()) {
                    var other = bindings.get(t.source());
                    if (other != null) {
                        problems.add(src.pid() + ": tags: tag '" + t.name() + "' — source " + t.source() + " is already bound to "
                                + other.asset() + "/" + other.tag().name() + "; left out");
                    } else {
                        kept.add(t);
                    }
                }
                Asset finalAsset = kept.size() == asset.tags().size() ? asset : withTags(asset, kept, src, problems);
                assets.put(finalAsset.id(), finalAsset);
                for (AssetTag t : finalAsset.tags()) {
                    bindings.put(t.source(), new io.millwright.asset.api.AssetModel.Binding(finalAsset.id(), t));
                }
            } catch (IllegalArgumentException e) {
                problems.add(src.pid() + ": " + e.getMessage() + "; the asset is left out");
            }
        }
        return new Built(classes, assets, bindings, problems);
    }

    private static Asset withTags(Asset a, List<AssetTag> tags, AssetSource src, List<String> problems) {
        List<AlarmDefinition> alarms = alarmsFor(a.alarms(), tags, src, problems);
        return new Asset(a.id(), a.name(), a.site(), a.area(), a.line(), a.assetClass(), a.criticality(), a.components(), tags, alarms,
                a.lastMaintenance());
    }

    private static Asset asset(AssetSource src, Map<String, AssetClass> classes, Map<ChannelId, ChannelDescriptor> channels,
            List<String> problems) {
        String id = src.assetId();
        if (id == null || !id.matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException("assetId '" + id + "' — expected 1-64 characters of [A-Za-z0-9_.-]");
        }
        AssetClass cls = classes.get(src.assetClass());
        if (cls == null) {
            throw new IllegalArgumentException("assetClass '" + src.assetClass() + "' — no such class; configured: " + classes.keySet());
        }
        Criticality criticality;
        try {
            criticality = Criticality.valueOf(src.criticality());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("criticality '" + src.criticality() + "' — expected A, B or C");
        }
        if (!src.lastMaintenance().isEmpty()) {
            try {
                LocalDate.parse(src.lastMaintenance());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("lastMaintenance '" + src.lastMaintenance() + "' — expected a date YYYY-MM-DD");
            }
        }
        Map<String, Settings> lines = new LinkedHashMap<>();
        for (String line : src.tags()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Settings s = Settings.parse("tags: tag", line, "source", "unit", "deviceUnit", "min", "max", "interval", "component");
                if (lines.put(s.name, s) != null) {
                    throw new IllegalArgumentException("tags: tag '" + s.name + "' is listed twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add(src.pid() + ": " + e.getMessage() + "; left out");
            }
        }
        Map<String, TagTemplate> template = new LinkedHashMap<>();
        cls.tags().forEach(t -> template.put(t.name(), t));
        List<String> names = new ArrayList<>(template.keySet());
        lines.keySet().stream().filter(n -> !template.containsKey(n)).forEach(names::add);
        List<AssetTag> tags = new ArrayList<>();
        for (String name : names) {
            try {
                tags.add(tag(id, name, template.get(name), lines.get(name), channels));
            } catch (IllegalArgumentException e) {
                problems.add(src.pid() + ": tags: tag '" + name + "' — " + e.getMessage() + "; left out");
            }
        }
        List<AlarmDefinition> alarms = new ArrayList<>();
        Map<String, String> overrides = new HashMap<>();
        for (String line : src.alarmOverrides()) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+", 2);
            if (cls.alarms().stream().noneMatch(d -> d.name().equals(parts[0]))) {
                problems.add(src.pid() + ": alarmOverrides: '" + line.trim() + "' — class " + cls.name() + " has no alarm '" + parts[0] + "'");
                continue;
            }
            overrides.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        for (AlarmDefinition d : cls.alarms()) {
            String o = overrides.get(d.name());
            if (o != null && o.trim().equals("disabled")) {
                continue;
            }
            try {
                alarms.add(o == null ? d : d.withOverrides(o));
            } catch (IllegalArgumentException e) {
                problems.add(src.pid() + ": alarmOverrides: " + e.getMessage() + "; the class's definition is used");
                alarms.add(d);
            }
        }
        Asset draft = new Asset(id, src.name().isEmpty() ? id : src.name(), src.site(), src.area(), src.line(), cls.name(), criticality,
                src.components(), tags, alarms, src.lastMaintenance());
        return new Asset(id, draft.name(), draft.site(), draft.area(), draft.line(), draft.assetClass(), criticality, draft.components(),
                tags, alarmsFor(alarms, tags, src, problems), draft.lastMaintenance());
    }

    /** Keeps the alarms whose tags (and setpoint tags) the asset has. */
    private static List<AlarmDefinition> alarmsFor(List<AlarmDefinition> alarms, List<AssetTag> tags, AssetSource src, List<String> problems) {
        List<AlarmDefinition> kept = new ArrayList<>();
        for (AlarmDefinition d : alarms) {
            boolean hasTag = tags.stream().anyMatch(t -> t.name().equals(d.tag()));
            boolean hasSetpoint = d.setpointTag().isEmpty() || tags.stream().anyMatch(t -> t.name().equals(d.setpointTag()));
            if (hasTag && hasSetpoint) {
                kept.add(d);
            } else {
                problems.add(src.pid() + ": alarm '" + d.name() + "' — the asset has no tag '" + (hasTag ? d.setpointTag() : d.tag())
                        + "'; left out");
            }
        }
        return kept;
    }

    private static AssetTag tag(String assetId, String name, TagTemplate template, Settings line, Map<ChannelId, ChannelDescriptor> channels) {
        ChannelId source = ChannelId.parse(line != null && line.has("source") ? line.text("source", "") : assetId + "/" + name);
        String unit = line != null && line.has("unit") ? line.text("unit", "") : template != null ? template.unit() : "";
        ChannelDescriptor declared = channels.get(source);
        String deviceUnit = line != null && line.has("deviceUnit") ? line.text("deviceUnit", "")
                : declared != null && !declared.unit().isEmpty() ? declared.unit() : unit;
        if (line != null && !line.has("unit") && template == null) {
            unit = deviceUnit;
        }
        UnitConversions.Linear conversion = numeric(declared) ? UnitConversions.between(deviceUnit, unit) : UnitConversions.Linear.IDENTITY;
        double min = line != null ? line.number("min", template != null ? template.min() : Double.NEGATIVE_INFINITY)
                : template.min();
        double max = line != null ? line.number("max", template != null ? template.max() : Double.POSITIVE_INFINITY)
                : template.max();
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        long interval = line != null ? line.durationMs("interval", template != null ? template.expectedIntervalMs() : 0)
                : template.expectedIntervalMs();
        String component = line != null ? line.text("component", "") : "";
        return new AssetTag(name, source, unit, deviceUnit, conversion.scale(), conversion.offset(), min, max, interval, component,
                declared != null && declared.writable());
    }

    private static boolean numeric(ChannelDescriptor d) {
        if (d == null) {
            return true; // not declared yet: convert as configured; the model is rebuilt when the device comes
        }
        return switch (d.type()) {
            case DOUBLE, LONG, WAVEFORM -> true;
            default -> false;
        };
    }
}
