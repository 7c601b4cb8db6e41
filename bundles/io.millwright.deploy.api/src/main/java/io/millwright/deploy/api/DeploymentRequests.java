package io.millwright.deploy.api;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment request as JSON, the same for REST, the MQTT command {@code deploy} and the agent's files:
 * <pre>{"repository": "drivers",
 *  "bundles": [{"name": "io.millwright.driver.modbus", "version": "[0.1,1)"}],
 *  "configurations": [{"factoryPid": "io.millwright.driver.modbus", "name": "line-2", "properties": {"deviceId": "line-2", …}}],
 *  "models": [{"file": "pump-bearing-rul-2.0.0.mwmodel", "sha256": "…"}],
 *  "expectDevices": ["line-2"], "allowRestart": false, "healthWindowSeconds": 60}</pre>
 */
public final class DeploymentRequests {

    private DeploymentRequests() {
    }

    /**
     * @param o the JSON
     * @return the request
     * @throws IllegalArgumentException naming the attribute and the value that is wrong
     */
    public static DeploymentRequest fromJson(JsonObject o) {
        String repository = string(o, "repository", true);
        List<BundleSpec> bundles = new ArrayList<>();
        for (JsonValue v : array(o, "bundles")) {
            if (!(v instanceof JsonObject b)) {
                throw new IllegalArgumentException("bundles: " + v + " — expected {\"name\": …, \"version\": …}");
            }
            bundles.add(new BundleSpec(string(b, "name", true), string(b, "version", false)));
        }
        List<ConfigurationSpec> configurations = new ArrayList<>();
        for (JsonValue v : array(o, "configurations")) {
            if (!(v instanceof JsonObject c)) {
                throw new IllegalArgumentException("configurations: " + v + " — expected {\"factoryPid\", \"name\", \"properties\"}");
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            JsonValue p = c.get("properties");
            if (p != null && !(p instanceof JsonObject)) {
                throw new IllegalArgumentException("configurations.properties: " + p + " — expected an object");
            }
            if (p instanceof JsonObject po) {
                for (Map.Entry<String, JsonValue> e : po.entrySet()) {
                    properties.put(e.getKey(), value(e.getKey(), e.getValue()));
                }
            }
            configurations.add(new ConfigurationSpec(string(c, "factoryPid", true), string(c, "name", true), properties));
        }
        List<ModelSpec> models = new ArrayList<>();
        for (JsonValue v : array(o, "models")) {
            if (!(v instanceof JsonObject m)) {
                throw new IllegalArgumentException("models: " + v + " — expected {\"file\": …, \"sha256\": …}");
            }
            models.add(new ModelSpec(string(m, "file", true), string(m, "sha256", false)));
        }
        List<String> devices = new ArrayList<>();
        for (JsonValue v : array(o, "expectDevices")) {
            if (!(v instanceof JsonString s)) {
                throw new IllegalArgumentException("expectDevices: " + v + " — expected device ids (strings)");
            }
            devices.add(s.getString());
        }
        JsonValue allow = o.get("allowRestart");
        if (allow != null && allow != JsonValue.TRUE && allow != JsonValue.FALSE) {
            throw new IllegalArgumentException("allowRestart: " + allow + " — expected true or false");
        }
        JsonValue window = o.get("healthWindowSeconds");
        if (window != null && !(window instanceof JsonNumber n && n.isIntegral())) {
            throw new IllegalArgumentException("healthWindowSeconds: " + window + " — expected whole seconds");
        }
        return new DeploymentRequest(repository, bundles, configurations, models, devices, allow == JsonValue.TRUE,
                window == null ? 0 : ((JsonNumber) window).intValue());
    }

    /**
     * @param r a request
     * @return its JSON
     */
    public static JsonObject toJson(DeploymentRequest r) {
        JsonArrayBuilder bundles = Json.createArrayBuilder();
        r.bundles().forEach(b -> bundles.add(Json.createObjectBuilder().add("name", b.name()).add("version", b.version())));
        JsonArrayBuilder configurations = Json.createArrayBuilder();
        for (ConfigurationSpec c : r.configurations()) {
            JsonObjectBuilder p = Json.createObjectBuilder();
            c.properties().forEach((k, v) -> {
                if (v instanceof Boolean b) {
                    p.add(k, b);
                } else if (v instanceof Long l) {
                    p.add(k, l);
                } else if (v instanceof Integer i) {
                    p.add(k, i);
                } else if (v instanceof Number n) {
                    p.add(k, n.doubleValue());
                } else {
                    p.add(k, String.valueOf(v));
                }
            });
            configurations.add(Json.createObjectBuilder().add("factoryPid", c.factoryPid()).add("name", c.name()).add("properties", p));
        }
        JsonArrayBuilder models = Json.createArrayBuilder();
        r.models().forEach(m -> models.add(Json.createObjectBuilder().add("file", m.file()).add("sha256", m.sha256())));
        JsonArrayBuilder devices = Json.createArrayBuilder();
        r.expectDevices().forEach(devices::add);
        return Json.createObjectBuilder().add("repository", r.repository()).add("bundles", bundles).add("configurations", configurations)
                .add("models", models).add("expectDevices", devices).add("allowRestart", r.allowRestart()).add("healthWindowSeconds", r.healthWindowSeconds()).build();
    }

    private static String string(JsonObject o, String name, boolean required) {
        JsonValue v = o.get(name);
        if (v == null || v == JsonValue.NULL) {
            if (required) {
                throw new IllegalArgumentException(name + ": required — a string");
            }
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new IllegalArgumentException(name + ": " + v + " — expected a string");
        }
        return s.getString();
    }

    private static List<JsonValue> array(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalArgumentException(name + ": " + v + " — expected an array");
        }
        return v.asJsonArray();
    }

    private static Object value(String key, JsonValue v) {
        return switch (v.getValueType()) {
            case STRING -> ((JsonString) v).getString();
            case NUMBER -> ((JsonNumber) v).isIntegral() ? (Object) ((JsonNumber) v).longValue() : (Object) ((JsonNumber) v).doubleValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("configurations.properties." + key + ": " + v + " — expected a string, number or boolean");
        };
    }
}
