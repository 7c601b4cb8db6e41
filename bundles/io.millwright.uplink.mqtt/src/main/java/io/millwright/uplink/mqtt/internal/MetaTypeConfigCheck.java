package io.millwright.uplink.mqtt.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks a configuration change against the metatype of the component that owns the PID, before anything is
 * persisted: unknown attributes, values of the wrong type and values outside the declared range are refused with a
 * message naming the PID, the attribute, the value and the rule.
 */
final class MetaTypeConfigCheck implements CommandHandler.ConfigCheck {

    private final BundleContext context;
    private final Supplier<MetaTypeService> metaType;

    MetaTypeConfigCheck(BundleContext context, Supplier<MetaTypeService> metaType) {
        this.context = context;
        this.metaType = metaType;
    }

    @Override
    public String check(String pid, Map<String, Object> changes) {
        MetaTypeService mts = metaType.get();
        if (mts == null) {
            return "the MetaType service is not available: " + pid + " cannot be validated, so nothing was changed";
        }
        int tilde = pid.indexOf('~');
        String owner = tilde < 0 ? pid : pid.substring(0, tilde);
        ObjectClassDefinition ocd = null;
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = mts.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            boolean declares = Arrays.asList(tilde < 0 ? info.getPids() : info.getFactoryPids()).contains(owner);
            if (declares) {
                ocd = info.getObjectClassDefinition(owner, null);
                break;
            }
        }
        if (ocd == null) {
            return "no installed component declares the configuration " + pid + " (no metatype): nothing was changed";
        }
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        List<String> known = new ArrayList<>();
        for (AttributeDefinition ad : ads) {
            known.add(ad.getID());
        }
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            AttributeDefinition ad = Arrays.stream(ads).filter(a -> a.getID().equals(e.getKey())).findFirst().orElse(null);
            if (ad == null) {
                return pid + ": unknown attribute '" + e.getKey() + "'; known: " + known;
            }
            String value = String.valueOf(e.getValue());
            String problem = ad.validate(value);
            if (problem != null && !problem.isEmpty()) {
                return pid + ": " + e.getKey() + "=" + value + " refused: " + problem + range(ad);
            }
        }
        return null;
    }

    private static String range(AttributeDefinition ad) {
        String d = ad.getDescription();
        return d == null || d.isBlank() ? "" : " (" + d + ")";
    }
}
