package io.millwright.kpi.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Which tags of an asset class mean what for KPIs: factory configuration {@value #PID}{@code ~<class>}. */
@Component(configurationPid = KpiClassConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = KpiClassConfiguration.class)
@Designate(ocd = KpiClassConfiguration.Config.class, factory = true)
public final class KpiClassConfiguration {

    static final String PID = "io.millwright.kpi.class";

    /** The attributes. */
    @ObjectClassDefinition(name = "Millwright KPIs of an asset class", description = "Which tags count units, good units, energy and reasons")
    public @interface Config {
        /** @return the class */
        @AttributeDefinition(description = "The asset class, e.g. pump")
        String assetClass();

        /** @return the count tag */
        @AttributeDefinition(description = "Counter of units produced (required)")
        String countTag();

        /** @return good count */
        @AttributeDefinition(required = false, description = "Counter of good units (or give rejectCountTag)")
        String goodCountTag() default "";

        /** @return reject count */
        @AttributeDefinition(required = false, description = "Counter of rejected units (good = produced - rejected)")
        String rejectCountTag() default "";

        /** @return energy */
        @AttributeDefinition(required = false, description = "Energy counter, kWh")
        String energyTag() default "";

        /** @return reason */
        @AttributeDefinition(required = false, description = "Tag naming a trip's reason (default: the class's trip tag)")
        String reasonTag() default "";

        /** @return ideal rate */
        @AttributeDefinition(description = "Planned rate: units per hour of run time")
        double idealRatePerHour();

        /** @return unit */
        @AttributeDefinition(required = false, description = "The count's unit, e.g. L or {parts}")
        String unit() default "";
    }

    private final KpiClass kpiClass;
    private final String problem;
    private final String name;

    /**
     * @param config attributes
     * @param properties for the PID
     */
    @Activate
    public KpiClassConfiguration(Config config, Map<String, Object> properties) {
        this.name = String.valueOf(properties.getOrDefault("service.pid", PID));
        KpiClass k = null;
        String why = null;
        try {
            if (!properties.containsKey("idealRatePerHour")) {
                throw new IllegalArgumentException("idealRatePerHour is required (units per hour of run time)");
            }
            k = new KpiClass(config.assetClass(), config.countTag(), config.goodCountTag(), config.rejectCountTag(), config.energyTag(),
                    config.reasonTag(), config.idealRatePerHour(), config.unit());
        } catch (IllegalArgumentException e) {
            why = name + ": " + e.getMessage();
        }
        this.kpiClass = k;
        this.problem = why;
    }

    KpiClass kpiClass() {
        return kpiClass;
    }

    String problem() {
        return problem;
    }
}
