package io.millwright.deploy.internal;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;

/**
 * A configuration's properties in the job file, with their Config Admin types (String, Long, Integer, Double, Float,
 * Boolean, Short, Byte, Character and arrays of them), so that the properties a deployment replaced are restored as
 * they were after a restart — not as text. Collections are kept as arrays of their elements' type.
 */
final class ConfigurationValues {

    private ConfigurationValues() {
    }

    static JsonObject toJson(Dictionary<String, Object> properties) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (String k : Collections.list(properties.keys())) {
            if (k.startsWith("service.") || k.startsWith("felix.")) {
                continue; // Config Admin's own
            }
            Object v = properties.get(k);
            if (v instanceof Collection<?> c) {
                v = c.toArray();
            }
            if (v != null && v.getClass().isArray()) {
                JsonArrayBuilder values = Json.createArrayBuilder();
                String type = v.getClass().getComponentType().getSimpleName();
                for (int i = 0; i < Array.getLength(v); i++) {
                    Object e = Array.get(v, i);
                    type = e == null || !(v instanceof Object[]) ? type : e.getClass().getSimpleName();
                    values.add(String.valueOf(e));
                }
                out.add(k, Json.createObjectBuilder().add("type", type).add("array", true).add("values", values));
            } else if (v != null) {
                out.add(k, Json.createObjectBuilder().add("type", v.getClass().getSimpleName()).add("value", String.valueOf(v)));
            }
        }
        return out.build();
    }

    static Dictionary<String, Object> fromJson(JsonObject o) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (var e : o.entrySet()) {
            JsonObject v = e.getValue().asJsonObject();
            String type = v.getString("type");
            if (v.getBoolean("array", false)) {
                var values = v.getJsonArray("values");
                Object array = Array.newInstance(boxed(type), values.size());
                for (int i = 0; i < values.size(); i++) {
                    Array.set(array, i, parse(type, values.getString(i)));
                }
                out.put(e.getKey(), array);
            } else {
                out.put(e.getKey(), parse(type, v.getString("value")));
            }
        }
        return out;
    }

    private static Class<?> boxed(String type) {
        return switch (type) {
            case "Long", "long" -> Long.class;
            case "Integer", "int" -> Integer.class;
            case "Double", "double" -> Double.class;
            case "Float", "float" -> Float.class;
            case "Boolean", "boolean" -> Boolean.class;
            case "Short", "short" -> Short.class;
            case "Byte", "byte" -> Byte.class;
            case "Character", "char" -> Character.class;
            default -> String.class;
        };
    }

    private static Object parse(String type, String text) {
        return switch (type) {
            case "Long", "long" -> Long.valueOf(text);
            case "Integer", "int" -> Integer.valueOf(text);
            case "Double", "double" -> Double.valueOf(text);
            case "Float", "float" -> Float.valueOf(text);
            case "Boolean", "boolean" -> Boolean.valueOf(text);
            case "Short", "short" -> Short.valueOf(text);
            case "Byte", "byte" -> Byte.valueOf(text);
            case "Character", "char" -> text.charAt(0);
            default -> text;
        };
    }

    static boolean isNull(JsonValue v) {
        return v == null || v == JsonValue.NULL;
    }
}
