package io.millwright.kpi.internal;

import io.millwright.kpi.api.CostModel;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** An asset's cost model: factory configuration {@value #PID}{@code ~<asset>}. */
@Component(configurationPid = CostConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = CostConfiguration.class)
@Designate(ocd = CostConfiguration.Config.class, factory = true)
public final class CostConfiguration {

    static final String PID = "io.millwright.kpi.cost";

    /** The attributes. */
    @ObjectClassDefinition(name = "Millwright cost model of an asset", description = "What downtime, energy and repairs cost")
    public @interface Config {
        /** @return asset */
        @AttributeDefinition(description = "The asset, e.g. pump-1")
        String asset();

        /** @return currency */
        @AttributeDefinition(required = false, description = "Currency, e.g. EUR")
        String currency() default "EUR";

        /** @return downtime cost */
        @AttributeDefinition(min = "0", description = "Lost margin per hour of unplanned downtime")
        double downtimeCostPerHour() default 0;

        /** @return energy price */
        @AttributeDefinition(min = "0", description = "Price of a kWh")
        double energyPricePerKwh() default 0;

        /** @return planned repair */
        @AttributeDefinition(min = "0", description = "Parts and labour of a repair planned ahead (e.g. from a WARNING)")
        double plannedRepairCost() default 0;

        /** @return planned hours */
        @AttributeDefinition(min = "0", description = "Hours the asset stands for a planned repair")
        double plannedRepairHours() default 0;

        /** @return unplanned repair */
        @AttributeDefinition(min = "0", description = "Parts and labour of a repair after a failure")
        double unplannedRepairCost() default 0;
    }

    private final CostModel cost;
    private final String problem;

    /**
     * @param config attributes
     * @param properties for the PID
     */
    @Activate
    public CostConfiguration(Config config, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault("service.pid", PID));
        CostModel c = null;
        String why = null;
        try {
            if (config.asset() == null || config.asset().isBlank()) {
                throw new IllegalArgumentException("asset is required");
            }
            c = new CostModel(config.asset().trim(), config.currency(), config.downtimeCostPerHour(), config.energyPricePerKwh(),
                    config.plannedRepairCost(), config.plannedRepairHours(), config.unplannedRepairCost());
        } catch (IllegalArgumentException e) {
            why = name + ": " + e.getMessage();
        }
        this.cost = c;
        this.problem = why;
    }

    CostModel cost() {
        return cost;
    }

    String problem() {
        return problem;
    }
}
