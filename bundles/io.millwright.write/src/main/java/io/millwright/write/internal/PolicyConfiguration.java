package io.millwright.write.internal;

import io.millwright.identity.api.Role;
import io.millwright.write.api.Interlock;
import io.millwright.write.api.WritePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One writable tag's write policy, a factory configuration {@value #PID}{@code ~<name>}: the guard collects them. A
 * configuration that does not make a valid policy is kept with the reason, and writes to its tag are refused naming it.
 */
@Component(configurationPid = PolicyConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = PolicyConfiguration.class)
@Designate(ocd = PolicyConfiguration.Config.class, factory = true)
public final class PolicyConfiguration {

    static final String PID = "io.millwright.write.policy";

    /** The policy's attributes; values in the tag's canonical unit. */
    @ObjectClassDefinition(name = "Millwright write policy", description = "The rules one writable tag's writes must pass")
    public @interface Config {
        /** @return the asset */
        @AttributeDefinition(description = "The asset, e.g. pump-1")
        String asset();

        /** @return the writable tag */
        @AttributeDefinition(description = "The writable tag, e.g. speed_setpoint")
        String tag();

        /** @return the least role that may write */
        @AttributeDefinition(description = "Least role that may request a write: operator, engineer or admin")
        String role() default "operator";

        /** @return lower bound */
        @AttributeDefinition(description = "Least value that may be written, canonical unit (required)")
        double min();

        /** @return upper bound */
        @AttributeDefinition(description = "Greatest value that may be written, canonical unit (required)")
        double max();

        /** @return max step */
        @AttributeDefinition(min = "0", description = "Largest change from the current value in one write, 0: no limit")
        double maxStep() default 0;

        /** @return max change per minute */
        @AttributeDefinition(min = "0", description = "Largest sum of changes written within any 60 s, 0: no limit")
        double maxChangePerMinute() default 0;

        /** @return max requests per minute */
        @AttributeDefinition(min = "0", max = "600", description = "Most writes sent within any 60 s, 0: no limit")
        int maxRequestsPerMinute() default 6;

        /** @return interlocks */
        @AttributeDefinition(required = false, description = "Conditions over the twin: running, state=RUNNING|IDLE, "
                + "no-alarm-priority<=1, not-in-maintenance, fresh")
        String[] interlocks() default {};

        /** @return read-back timeout */
        @AttributeDefinition(min = "100", max = "600000", description = "How long the device has to report the written value, ms")
        int readBackTimeoutMs() default 10_000;

        /** @return read-back tolerance */
        @AttributeDefinition(min = "0", description = "How far the reported value may lie from the written one, canonical unit")
        double readBackTolerance() default 0.5;

        /** @return two-person approval */
        @AttributeDefinition(description = "Whether an engineer other than the requester must approve each write")
        boolean approval() default false;
    }

    private final String name;
    private final String target;
    private final WritePolicy policy;
    private final String problem;

    /**
     * @param config the attributes
     * @param properties for the configuration's PID
     */
    @Activate
    public PolicyConfiguration(Config config, Map<String, Object> properties) {
        this.name = String.valueOf(properties.getOrDefault("service.pid", PID));
        this.target = config.asset() + "/" + config.tag();
        WritePolicy p = null;
        String why = null;
        try {
            if (!properties.containsKey("min") || !properties.containsKey("max")) {
                throw new IllegalArgumentException("min and max are required: every writable tag needs its bounds");
            }
            p = policy(config);
        } catch (IllegalArgumentException e) {
            why = name + ": " + e.getMessage();
        }
        this.policy = p;
        this.problem = why;
    }

    /**
     * @param config attributes
     * @return the policy
     * @throws IllegalArgumentException naming the bad attribute and value
     */
    static WritePolicy policy(Config config) {
        if (config.asset() == null || config.asset().isBlank() || config.tag() == null || config.tag().isBlank()) {
            throw new IllegalArgumentException("asset and tag are required");
        }
        List<Interlock> interlocks = new ArrayList<>();
        for (String i : config.interlocks()) {
            if (i != null && !i.isBlank()) {
                interlocks.add(Interlock.parse(i));
            }
        }
        if (config.readBackTimeoutMs() < 100) {
            throw new IllegalArgumentException("readBackTimeoutMs " + config.readBackTimeoutMs() + " must be at least 100");
        }
        return new WritePolicy(config.asset().trim(), config.tag().trim(), Role.parse(config.role()), config.min(), config.max(),
                config.maxStep(), config.maxChangePerMinute(), config.maxRequestsPerMinute(), interlocks,
                Duration.ofMillis(config.readBackTimeoutMs()), config.readBackTolerance(), config.approval());
    }

    /** @return {@code asset/tag} */
    String target() {
        return target;
    }

    /** @return the policy, or null when the configuration is not valid */
    WritePolicy policy() {
        return policy;
    }

    /** @return why it is not valid, or null */
    String problem() {
        return problem;
    }

    /** @return the configuration's PID */
    String name() {
        return name;
    }
}
