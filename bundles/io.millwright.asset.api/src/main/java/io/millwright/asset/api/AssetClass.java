package io.millwright.asset.api;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmDefinition;
import java.util.List;
import java.util.Map;

/**
 * A kind of asset (pump, motor, compressor, …): the tags each asset of the class is expected to have, the alarms
 * defined for all of them with a runbook per alarm, and how its twin reads its tags.
 *
 * @param name the class's name, e.g. {@code pump}
 * @param label a human label, e.g. {@code Centrifugal pump}
 * @param tags the tag template
 * @param alarms the alarm definitions
 * @param runbooks per alarm name: what to do
 * @param rules how the twin derives operating state and health
 * @param consistency physical-consistency rules of its measurements (sensor drift told from a changing machine)
 */
public record AssetClass(String name, String label, List<TagTemplate> tags, List<AlarmDefinition> alarms,
        Map<String, Alarm.Runbook> runbooks, TwinRules rules, List<ConsistencyRule> consistency) {
    /** Copies the collections. */
    public AssetClass {
        tags = List.copyOf(tags);
        alarms = List.copyOf(alarms);
        runbooks = Map.copyOf(runbooks);
        rules = rules == null ? TwinRules.NONE : rules;
        consistency = consistency == null ? List.of() : List.copyOf(consistency);
    }

    /**
     * A class without consistency rules.
     *
     * @param name the class's name
     * @param label a human label
     * @param tags the tag template
     * @param alarms the alarm definitions
     * @param runbooks per alarm name: what to do
     * @param rules how the twin derives operating state and health
     */
    public AssetClass(String name, String label, List<TagTemplate> tags, List<AlarmDefinition> alarms, Map<String, Alarm.Runbook> runbooks,
            TwinRules rules) {
        this(name, label, tags, alarms, runbooks, rules, List.of());
    }
}
