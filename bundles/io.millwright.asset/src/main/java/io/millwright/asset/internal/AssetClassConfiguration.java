package io.millwright.asset.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.ConsistencyRule;
import io.millwright.asset.api.TagTemplate;
import io.millwright.asset.api.TwinRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One asset class, from a factory configuration {@code io.millwright.asset.class~<name>}. Parsed and checked at
 * activation; a class that does not parse is still registered, with its problem, so that the asset model can say what
 * is wrong instead of the class silently missing.
 */
@Component(service = ClassSource.class, configurationPid = AssetClassConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AssetClassConfiguration.Config.class, factory = true)
public final class AssetClassConfiguration implements ClassSource {

    /** The factory PID. */
    public static final String PID = "io.millwright.asset.class";

    /** An asset class. */
    @ObjectClassDefinition(name = "Millwright asset class", description = "A kind of asset: its expected tags, alarm definitions, "
            + "runbooks and how its twin reads its tags.")
    public @interface Config {
        @AttributeDefinition(description = "The class's name, e.g. pump")
        String name();

        @AttributeDefinition(required = false, description = "A human label, e.g. Centrifugal pump")
        String label() default "";

        @AttributeDefinition(required = false, description = "Expected tags: 'name [unit=Cel] [min=] [max=] [interval=1s]'")
        String[] tags() default {};

        @AttributeDefinition(required = false, description = "Alarm definitions: 'name KIND tag [limit=] [deadband=] [onDelay=] "
                + "[offDelay=] [priority=1..4] [latching] [suppressWhen=stopped,...] [setpoint=] [states=V:p,...]'")
        String[] alarms() default {};

        @AttributeDefinition(required = false, description = "Runbooks: 'alarm | what to do | link'")
        String[] runbooks() default {};

        @AttributeDefinition(required = false, description = "Physical-consistency rules: '<tag> from <term> [<term> ...] "
                + "[corroborate=<channel>,...] [tolerance=<units>]', a term being a tag or tag^power (e.g. 'bearing_temperature from "
                + "speed^2 corroborate=f.pump-bearing.vibration.band_70_110 tolerance=2')")
        String[] consistency() default {};

        @AttributeDefinition(required = false, description = "Tag that is true while the asset runs")
        String runningTag() default "";

        @AttributeDefinition(required = false, description = "Tag that names the trip while the asset is tripped")
        String tripTag() default "";

        @AttributeDefinition(required = false, description = "Tag measuring the load (a running asset below idleBelow is idle)")
        String loadTag() default "";

        @AttributeDefinition(required = false, description = "Idle threshold in the load tag's canonical unit (0: never idle)")
        double idleBelow() default 0;

        @AttributeDefinition(required = false, description = "Tag with the model's remaining useful life")
        String rulTag() default "";

        @AttributeDefinition(required = false, description = "Tag with the model's urgency (NORMAL, WARNING, CRITICAL)")
        String urgencyTag() default "";

        @AttributeDefinition(required = false, description = "Tag with the model's lineage")
        String lineageTag() default "";
    }

    private final String pid;
    private final AssetClass assetClass;
    private final String problem;

    /**
     * @param config the configuration
     * @param properties the component's properties (for the PID)
     */
    @Activate
    public AssetClassConfiguration(Config config, Map<String, Object> properties) {
        this.pid = String.valueOf(properties.getOrDefault("service.pid", PID));
        AssetClass parsed = null;
        String error = null;
        try {
            parsed = parse(config);
        } catch (IllegalArgumentException e) {
            error = pid + ": " + e.getMessage();
        }
        this.assetClass = parsed;
        this.problem = error;
    }

    static AssetClass parse(Config c) {
        if (c.name() == null || !c.name().matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException("name '" + c.name() + "' — expected 1-64 characters of [A-Za-z0-9_.-]");
        }
        List<TagTemplate> tags = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String line : c.tags()) {
            if (line.isBlank()) {
                continue;
            }
            Settings s = Settings.parse("tags: template tag", line, "unit", "min", "max", "interval");
            if (!names.add(s.name)) {
                throw new IllegalArgumentException("tags: tag '" + s.name + "' is listed twice");
            }
            String unit = s.text("unit", "");
            UnitConversions.unit(unit);
            tags.add(new TagTemplate(s.name, unit, s.number("min", Double.NEGATIVE_INFINITY), s.number("max", Double.POSITIVE_INFINITY),
                    s.durationMs("interval", 0)));
        }
        List<AlarmDefinition> alarms = new ArrayList<>();
        Set<String> alarmNames = new HashSet<>();
        for (String line : c.alarms()) {
            if (line.isBlank()) {
                continue;
            }
            AlarmDefinition d;
            try {
                d = AlarmDefinition.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alarms: " + e.getMessage());
            }
            if (!alarmNames.add(d.name())) {
                throw new IllegalArgumentException("alarms: alarm '" + d.name() + "' is defined twice");
            }
            alarms.add(d);
        }
        Map<String, Alarm.Runbook> runbooks = new LinkedHashMap<>();
        for (String line : c.runbooks()) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\|", -1);
            String alarm = parts[0].trim();
            if (parts.length < 2 || !alarmNames.contains(alarm)) {
                throw new IllegalArgumentException("runbooks: '" + line.trim() + "' — expected 'alarm | what to do | link' naming one of "
                        + alarmNames);
            }
            runbooks.put(alarm, new Alarm.Runbook(parts[1].trim(), parts.length > 2 ? parts[2].trim() : ""));
        }
        List<ConsistencyRule> consistency = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        for (String line : c.consistency()) {
            if (line.isBlank()) {
                continue;
            }
            ConsistencyRule r;
            try {
                r = ConsistencyRule.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("consistency: " + e.getMessage());
            }
            if (!names.contains(r.tag())) {
                throw new IllegalArgumentException("consistency: rule '" + line.trim() + "': tag '" + r.tag() + "' is not one of the class's tags "
                        + names);
            }
            for (ConsistencyRule.Term t : r.terms()) {
                if (!names.contains(t.tag()) || t.tag().equals(r.tag())) {
                    throw new IllegalArgumentException("consistency: rule '" + line.trim() + "': term '" + t + "' must name another of the class's tags "
                            + names);
                }
            }
            if (!checked.add(r.tag())) {
                throw new IllegalArgumentException("consistency: tag '" + r.tag() + "' has two rules");
            }
            consistency.add(r);
        }
        TwinRules rules = new TwinRules(c.runningTag(), c.tripTag(), c.loadTag(), c.idleBelow(), c.rulTag(), c.urgencyTag(),
                c.lineageTag());
        return new AssetClass(c.name(), c.label().isEmpty() ? c.name() : c.label(), tags, alarms, runbooks, rules, consistency);
    }

    @Override
    public String pid() {
        return pid;
    }

    @Override
    public AssetClass assetClass() {
        return assetClass;
    }

    @Override
    public String problem() {
        return problem;
    }
}
