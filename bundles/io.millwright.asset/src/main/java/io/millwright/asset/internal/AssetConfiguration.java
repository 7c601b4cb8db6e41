package io.millwright.asset.internal;

import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One asset, from a factory configuration {@code io.millwright.asset~<id>}. The asset model binds it to its class and
 * to the devices' channels; what cannot be bound is reported as a problem of the model.
 */
@Component(service = AssetConfiguration.class, configurationPid = AssetConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AssetConfiguration.Config.class, factory = true)
public final class AssetConfiguration {

    /** The factory PID. */
    public static final String PID = "io.millwright.asset";

    /** An asset. */
    @ObjectClassDefinition(name = "Millwright asset", description = "An asset of the plant: where it sits (ISA-95), its class, "
            + "criticality, and how its tags map to device channels.")
    public @interface Config {
        @AttributeDefinition(description = "The asset's id: the asset part of its channels, e.g. pump-1")
        String assetId();

        @AttributeDefinition(required = false, description = "A human name")
        String name() default "";

        @AttributeDefinition(required = false, description = "ISA-95 site")
        String site() default "";

        @AttributeDefinition(required = false, description = "ISA-95 area")
        String area() default "";

        @AttributeDefinition(required = false, description = "ISA-95 line (work centre, unit)")
        String line() default "";

        @AttributeDefinition(description = "The asset class (an io.millwright.asset.class configuration's name)")
        String assetClass();

        @AttributeDefinition(required = false, description = "Criticality", options = {
            @Option(value = "A", label = "A: production stops, or safety at stake"), @Option(value = "B", label = "B: production suffers"),
            @Option(value = "C", label = "C: redundant or minor")})
        String criticality() default "B";

        @AttributeDefinition(required = false, description = "Components, e.g. motor, drive-end-bearing")
        String[] components() default {};

        @AttributeDefinition(required = false, description = "Tags: 'name [source=asset/tag] [unit=] [deviceUnit=] [min=] [max=] "
                + "[interval=1s] [component=]'; the class's tags come from <assetId>/<name> unless listed")
        String[] tags() default {};

        @AttributeDefinition(required = false, description = "Alarm overrides: 'alarm limit=80 priority=1' or 'alarm disabled'")
        String[] alarmOverrides() default {};

        @AttributeDefinition(required = false, description = "Date of the last maintenance on record (YYYY-MM-DD)")
        String lastMaintenance() default "";
    }

    private final AssetSource source;

    /**
     * @param c the configuration
     * @param properties the component's properties (for the PID)
     */
    @Activate
    public AssetConfiguration(Config c, Map<String, Object> properties) {
        this.source = new AssetSource(String.valueOf(properties.getOrDefault("service.pid", PID)), c.assetId(), c.name(), c.site(), c.area(),
                c.line(), c.assetClass(), c.criticality(), List.of(c.components()), List.of(c.tags()), List.of(c.alarmOverrides()),
                c.lastMaintenance());
    }

    /** @return the asset as configured */
    public AssetSource source() {
        return source;
    }
}
