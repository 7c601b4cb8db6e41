package io.millwright.rest.internal;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * A device's configuration as a form: the attributes its driver declares in its metatype (name, type, description,
 * bounds, options, default) with the current values from Config Admin; and a change, checked against the metatype
 * before anything is written (every bad field named), then written through Config Admin (audited with before and
 * after by the configuration audit, as the acting user).
 */
final class DeviceConfigurations {

    /** Attributes never shown or changed here (secrets, identity). */
    private static final Set<String> HIDDEN = Set.of("password", ".password", "deviceId", "service.pid", "service.factoryPid", "component.name", "component.id");

    private final ConfigurationAdmin configAdmin;
    private final MetaTypeService metaType;

    DeviceConfigurations(ConfigurationAdmin configAdmin, MetaTypeService metaType) {
        this.configAdmin = configAdmin;
        this.metaType = metaType;
    }

    /** The form of a device: its PID, factory PID and attributes with their current values. */
    JsonObject form(Bundle bundle, Configuration configuration) throws Problem {
        String pid = configuration.getPid();
        String factoryPid = configuration.getFactoryPid();
        ObjectClassDefinition ocd = definition(bundle, factoryPid != null ? factoryPid : pid);
        Dictionary<String, Object> current = configuration.getProperties();
        JsonArrayBuilder fields = Json.createArrayBuilder();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            if (HIDDEN.contains(ad.getID()) || ad.getType() == AttributeDefinition.PASSWORD) {
                continue;
            }
            JsonObjectBuilder f = Json.createObjectBuilder().add("id", ad.getID()).add("name", ad.getName() == null ? ad.getID() : ad.getName())
                    .add("type", typeName(ad.getType())).add("cardinality", ad.getCardinality());
            if (ad.getDescription() != null) {
                f.add("description", ad.getDescription());
            }
            if (ad.getOptionValues() != null && ad.getOptionValues().length > 0) {
                JsonArrayBuilder o = Json.createArrayBuilder();
                for (int i = 0; i < ad.getOptionValues().length; i++) {
                    o.add(Json.createObjectBuilder().add("value", ad.getOptionValues()[i]).add("label", ad.getOptionLabels()[i]));
                }
                f.add("options", o);
            }
            if (ad.getDefaultValue() != null) {
                f.add("default", String.join(",", ad.getDefaultValue()));
            }
            Object value = current == null ? null : current.get(ad.getID());
            if (value != null) {
                f.add("value", text(value));
            }
            fields.add(f);
        }
        return Json.createObjectBuilder().add("pid", pid).add("factoryPid", factoryPid == null ? "" : factoryPid)
                .add("name", ocd.getName() == null ? "" : ocd.getName()).add("fields", fields).build();
    }

    /**
     * Checks every field of the change against the metatype, then writes it.
     *
     * @param change attribute id → value as text (arrays as JSON arrays of text)
     * @return the attributes that changed
     * @throws Problem 400 naming every bad field, or 404
     */
    List<String> change(Bundle bundle, Configuration configuration, JsonObject change) throws Problem, IOException {
        String pid = configuration.getPid();
        String factoryPid = configuration.getFactoryPid();
        ObjectClassDefinition ocd = definition(bundle, factoryPid != null ? factoryPid : pid);
        List<Problem.FieldError> errors = new ArrayList<>();
        Hashtable<String, Object> typed = new Hashtable<>();
        for (String key : change.keySet()) {
            AttributeDefinition ad = attribute(ocd, key);
            if (ad == null || HIDDEN.contains(key) || ad.getType() == AttributeDefinition.PASSWORD) {
                errors.add(new Problem.FieldError(key, "not an attribute that can be changed here"));
                continue;
            }
            JsonValue v = change.get(key);
            List<String> texts = new ArrayList<>();
            if (v.getValueType() == JsonValue.ValueType.ARRAY) {
                v.asJsonArray().forEach(x -> texts.add(plain(x)));
            } else {
                texts.add(plain(v));
            }
            if (ad.getCardinality() == 0 && texts.size() != 1) {
                errors.add(new Problem.FieldError(key, "takes one value"));
                continue;
            }
            String problem = null;
            List<Object> values = new ArrayList<>();
            for (String t : texts) {
                String check = ad.validate(t);
                if (check != null && !check.isEmpty()) {
                    // Felix answers with a message key ("%greater than maximum"): readable, and the allowed range from the description
                    problem = "'" + t + "' is " + check.replace("%", "") + (ad.getDescription() == null ? "" : " — " + ad.getDescription());
                    break;
                }
                try {
                    values.add(convert(ad.getType(), t));
                } catch (IllegalArgumentException e) {
                    problem = "'" + t + "' is not a " + typeName(ad.getType());
                    break;
                }
            }
            if (problem != null) {
                errors.add(new Problem.FieldError(key, problem));
                continue;
            }
            typed.put(key, ad.getCardinality() == 0 ? values.get(0) : array(ad.getType(), values));
        }
        if (!errors.isEmpty()) {
            throw new Problem(400, "invalid configuration", errors.size() + " invalid field(s) for " + pid + ": nothing was changed", errors);
        }
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        List<String> changed = new ArrayList<>();
        for (String key : typed.keySet()) {
            Object old = properties.get(key);
            if (old == null || !text(old).equals(text(typed.get(key)))) {
                changed.add(key);
            }
            properties.put(key, typed.get(key));
        }
        if (!changed.isEmpty()) {
            configuration.update(properties);
        }
        return changed;
    }

    private ObjectClassDefinition definition(Bundle bundle, String pid) throws Problem {
        MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
        try {
            ObjectClassDefinition ocd = info == null ? null : info.getObjectClassDefinition(pid, null);
            if (ocd == null) {
                throw Problem.notFound("no metatype for " + pid + " in " + bundle.getSymbolicName());
            }
            return ocd;
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no metatype for " + pid + " in " + bundle.getSymbolicName());
        }
    }

    private static AttributeDefinition attribute(ObjectClassDefinition ocd, String id) {
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            if (ad.getID().equals(id)) {
                return ad;
            }
        }
        return null;
    }

    /**
     * The configuration of a device: the one whose {@code deviceId} is the device's id (every Millwright driver names
     * its device so).
     *
     * @return the configuration, or null
     */
    Configuration of(String deviceId) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(deviceId=" + deviceId.replaceAll("([\\\\*()])", "\\\\$1") + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException | IOException e) {
            return null;
        }
    }

    private static String plain(JsonValue v) {
        return v instanceof JsonString s ? s.getString() : v.toString();
    }

    static String text(Object value) {
        if (value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(",", parts);
        }
        if (value instanceof java.util.Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static Object convert(int type, String t) {
        String s = t.strip();
        return switch (type) {
            case AttributeDefinition.INTEGER -> Integer.valueOf(s);
            case AttributeDefinition.LONG -> Long.valueOf(s);
            case AttributeDefinition.SHORT -> Short.valueOf(s);
            case AttributeDefinition.BYTE -> Byte.valueOf(s);
            case AttributeDefinition.DOUBLE -> Double.valueOf(s);
            case AttributeDefinition.FLOAT -> Float.valueOf(s);
            case AttributeDefinition.BOOLEAN -> {
                if (!s.equals("true") && !s.equals("false")) {
                    throw new IllegalArgumentException(s);
                }
                yield Boolean.valueOf(s);
            }
            case AttributeDefinition.CHARACTER -> {
                if (s.length() != 1) {
                    throw new IllegalArgumentException(s);
                }
                yield s.charAt(0);
            }
            default -> t;
        };
    }

    private static Object array(int type, List<Object> values) {
        return switch (type) {
            case AttributeDefinition.INTEGER -> values.stream().mapToInt(v -> (Integer) v).toArray();
            case AttributeDefinition.LONG -> values.stream().mapToLong(v -> (Long) v).toArray();
            case AttributeDefinition.DOUBLE -> values.stream().mapToDouble(v -> (Double) v).toArray();
            default -> values.stream().map(String::valueOf).toArray(String[]::new);
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT, AttributeDefinition.BYTE -> "integer";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "number";
            case AttributeDefinition.BOOLEAN -> "boolean";
            case AttributeDefinition.CHARACTER -> "character";
            default -> "string";
        };
    }
}
