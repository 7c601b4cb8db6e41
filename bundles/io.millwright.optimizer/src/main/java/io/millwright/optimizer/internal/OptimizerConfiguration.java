package io.millwright.optimizer.internal;

import io.millwright.optimizer.api.Envelope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One asset's optimizer, a factory configuration {@value #PID}{@code ~<asset>}: the envelope an engineer allows and the
 * optimizer's persisted state (enabled, who enabled it, the human value, why it stopped, whether a revert is due). The
 * {@link OptimizerComponent} receives its properties (as this service's properties) when it appears and changes; the
 * optimizer writes it back through Configuration Admin on every change of state, so a restart resumes where it was.
 */
@Component(configurationPid = OptimizerConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = OptimizerConfiguration.class)
@Designate(ocd = OptimizerConfiguration.Config.class, factory = true)
public final class OptimizerConfiguration {

    static final String PID = "io.millwright.optimizer";

    /** The envelope; the state attributes are written by the optimizer itself. */
    @ObjectClassDefinition(name = "Millwright optimizer", description = "The bounded closed loop of one asset (off unless enabled)")
    public @interface Config {
        /** @return the asset */
        @AttributeDefinition(description = "The asset, e.g. pump-1")
        String asset();

        /** @return the tag */
        @AttributeDefinition(description = "The writable tag it sets")
        String tag() default Envelope.DEFAULT_TAG;

        /** @return whether it runs */
        @AttributeDefinition(description = "Whether it runs: enable it from the console or the API (an engineer's action, audited)")
        boolean enabled() default false;

        /** @return lower bound */
        @AttributeDefinition(description = "Least value it may write, canonical unit (within the tag's write policy)")
        double min();

        /** @return upper bound */
        @AttributeDefinition(description = "Greatest value it may write, canonical unit (within the tag's write policy)")
        double max();

        /** @return max change per hour */
        @AttributeDefinition(description = "Most it may change the value, summed over any hour")
        double maxChangePerHour();

        /** @return remaining life target */
        @AttributeDefinition(description = "The most output whose projected remaining life stays at or above this many plant hours")
        double rulTargetHours() default Envelope.DEFAULT_RUL_TARGET_HOURS;

        /** @return period */
        @AttributeDefinition(min = "5", max = "86400", description = "Seconds between decisions")
        int periodSeconds() default Envelope.DEFAULT_PERIOD_SECONDS;

        /** @return temperature tolerance */
        @AttributeDefinition(description = "Stop when the bearing temperature lies further than this from the projection, °C")
        double temperatureToleranceC() default Envelope.DEFAULT_TEMPERATURE_TOLERANCE_C;

        /** @return vibration tolerance */
        @AttributeDefinition(description = "Stop when the vibration RMS lies further than this share from the projection")
        double vibrationTolerance() default Envelope.DEFAULT_VIBRATION_TOLERANCE;
    }

    /** Nothing to keep: the optimizer component receives the configuration as this service's properties. */
    @Activate
    public OptimizerConfiguration() {
        // the properties travel as service properties
    }

    /** Changes in place (the service's properties change), so the optimizer keeps its decisions. */
    @Modified
    void modified() {
        // the service properties carry the new configuration
    }
}
