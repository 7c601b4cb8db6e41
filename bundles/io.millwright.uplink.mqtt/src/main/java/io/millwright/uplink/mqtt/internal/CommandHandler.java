package io.millwright.uplink.mqtt.internal;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Executes downlink commands: {@code ping}, {@code status}, {@code get-config}, {@code set-config},
 * {@code reconnect}. A command is a JSON object {@code {"id", "command", "token", "args"}}; every
 * command gets a response. A malformed, unknown or unauthorized command gets an error response and
 * changes nothing. Configuration commands only touch the PIDs the uplink's configuration allows.
 */
final class CommandHandler {

    /** What to publish in reply, and whether to reconnect after it is sent. */
    record Outcome(byte[] response, boolean reconnect) {
    }

    /** Checks a configuration change before it is persisted. */
    @FunctionalInterface
    interface ConfigCheck {
        /**
         * @param pid the PID ({@code factoryPid~name} for a factory configuration)
         * @param changes the attributes to change
         * @return null if the change is valid, otherwise why not (naming the attribute and the value)
         */
        String check(String pid, Map<String, Object> changes);
    }

    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    private final String gateway;
    private final char[] token;
    private final List<String> configPids;
    private final Supplier<ConfigurationAdmin> configurationAdmin;
    private final Consumer<JsonGenerator> status;
    private final Clock clock;
    private final ConfigCheck configCheck;

    CommandHandler(String gateway, char[] token, List<String> configPids, Supplier<ConfigurationAdmin> configurationAdmin,
            Consumer<JsonGenerator> status, Clock clock, ConfigCheck configCheck) {
        this.configCheck = configCheck;
        this.gateway = gateway;
        this.token = token.clone();
        this.configPids = List.copyOf(configPids);
        this.configurationAdmin = configurationAdmin;
        this.status = status;
        this.clock = clock;
    }

    Outcome handle(byte[] payload) {
        JsonObject command;
        try {
            JsonValue value = JSON.createReader(new ByteArrayInputStream(payload), StandardCharsets.UTF_8).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return error(null, "malformed command: expected a JSON object");
            }
            command = value.asJsonObject();
        } catch (JsonException | IllegalStateException e) {
            return error(null, "malformed command: not JSON (" + e.getMessage() + ")");
        }
        String id = text(command, "id");
        if (id == null || id.isBlank()) {
            return error(null, "malformed command: missing \"id\"");
        }
        String name = text(command, "command");
        if (name == null) {
            return error(id, "malformed command: missing \"command\"");
        }
        if (token.length == 0) {
            return error(id, "commands are disabled on this gateway (no command token configured)");
        }
        String given = text(command, "token");
        if (given == null || !MessageDigest.isEqual(new String(token).getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            return error(id, "unauthorized: missing or wrong token");
        }
        JsonObject args = command.containsKey("args") && command.get("args").getValueType() == JsonValue.ValueType.OBJECT
                ? command.getJsonObject("args") : JsonValue.EMPTY_JSON_OBJECT;
        try {
            return switch (name) {
                case "ping" -> ok(id, g -> g.write("pong", clock.instant().toString()), false);
                case "status" -> ok(id, status, false);
                case "get-config" -> getConfig(id, args);
                case "set-config" -> setConfig(id, args);
                case "reconnect" -> ok(id, g -> g.write("reconnecting", true), true);
                default -> error(id, "unknown command '" + name + "': expected ping, status, get-config, set-config or reconnect");
            };
        } catch (IOException | RuntimeException e) {
            return error(id, "command '" + name + "' failed: " + e.getMessage());
        }
    }

    private Outcome getConfig(String id, JsonObject args) throws IOException {
        String pid = allowedPid(args);
        if (pid == null) {
            return error(id, "get-config: \"pid\" must be one of " + configPids);
        }
        Configuration c = configuration(pid);
        Dictionary<String, Object> props = c == null ? null : c.getProperties();
        return ok(id, g -> {
            g.write("pid", pid);
            g.writeStartObject("properties");
            if (props != null) {
                for (String key : Collections.list(props.keys())) {
                    if (!key.startsWith(".") && !key.startsWith("service.") && !key.startsWith(":") && !key.startsWith("felix.")) {
                        g.write(key, String.valueOf(props.get(key)));
                    }
                }
            }
            g.writeEnd();
        }, false);
    }

    private Outcome setConfig(String id, JsonObject args) throws IOException {
        String pid = allowedPid(args);
        if (pid == null) {
            return error(id, "set-config: \"pid\" must be one of " + configPids);
        }
        if (!args.containsKey("properties") || args.get("properties").getValueType() != JsonValue.ValueType.OBJECT) {
            return error(id, "set-config: \"properties\" must be an object");
        }
        Hashtable<String, Object> changes = new Hashtable<>();
        for (Map.Entry<String, JsonValue> e : args.getJsonObject("properties").entrySet()) {
            Object v = switch (e.getValue().getValueType()) {
                case STRING -> ((JsonString) e.getValue()).getString();
                case NUMBER -> ((JsonNumber) e.getValue()).isIntegral() ? (Object) ((JsonNumber) e.getValue()).longValue()
                        : (Object) ((JsonNumber) e.getValue()).doubleValue();
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                default -> null;
            };
            if (v == null || e.getKey().startsWith("service.")) {
                return error(id, "set-config: property '" + e.getKey() + "' must be a string, number or boolean");
            }
            changes.put(e.getKey(), v);
        }
        String refused = configCheck.check(pid, changes);
        if (refused != null) {
            return error(id, "set-config: " + refused);
        }
        Configuration c = configuration(pid);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            props.put(e.getKey(), e.getValue());
        }
        try {
            // the configuration audit records the change as this command's
            io.millwright.audit.api.ActingAs.call(new io.millwright.audit.api.ActingAs.Who("mqtt-command:" + id, "", "mqtt", gateway), () -> {
                c.update(props);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ok(id, g -> g.write("pid", pid).write("updated", changes.size()), false);
    }

    private String allowedPid(JsonObject args) {
        String pid = text(args, "pid");
        return pid != null && configPids.contains(pid) ? pid : null;
    }

    private Configuration configuration(String pid) throws IOException {
        ConfigurationAdmin cm = configurationAdmin.get();
        if (cm == null) {
            throw new IOException("Configuration Admin is not available");
        }
        int tilde = pid.indexOf('~');
        return tilde < 0 ? cm.getConfiguration(pid, "?") : cm.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v != null && v.getValueType() == JsonValue.ValueType.STRING ? ((JsonString) v).getString() : null;
    }

    private Outcome ok(String id, Consumer<JsonGenerator> result, boolean reconnect) {
        return new Outcome(Payloads.response(gateway, id, true, null, result), reconnect);
    }

    private Outcome error(String id, String message) {
        return new Outcome(Payloads.response(gateway, id, false, message, null), false);
    }
}
