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
import java.time.Clock;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.Actor;
import io.millwright.optimizer.api.OptimizerStatus;
import io.millwright.optimizer.api.Optimizers;
import io.millwright.write.api.WriteGuard;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.identity.api.IdentityService;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Executes downlink commands: {@code ping}, {@code status}, {@code get-config}, {@code set-config},
 * {@code reconnect}. A command is a JSON object {@code {"id", "timestamp", "command", "args", "token" | "hmac"}}
 * (docs/mqtt.md). In order: a retained message, a payload over the size cap (not even parsed), a malformed command,
 * one without a valid sender identity ({@link CommandSender}), one whose timestamp is outside the age window and one
 * whose id was seen before ({@link ReplayGuard}) get <em>no reply</em> and are counted; an authenticated sender whose
 * role does not allow the command, an unknown command or bad arguments get an error reply. Every command, refused
 * ones included, is audited; when the audit trail is not there, commands are refused.
 */
final class CommandHandler {

    /** What to publish in reply (null: no reply), and whether to reconnect after it is sent. */
    record Outcome(byte[] response, boolean reconnect) {
        static final Outcome SILENT = new Outcome(null, false);
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

    private final Supplier<WriteGuard> writes;
    private final Supplier<Optimizers> optimizers;
    private final Supplier<io.millwright.deploy.api.Deployments> deployments;
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final String gateway;
    private final CommandSettings settings;
    private final ReplayGuard replays;
    private final Supplier<IdentityService> identity;
    private final Supplier<AuditTrail> audit;
    private final Supplier<ConfigurationAdmin> configurationAdmin;
    private final Consumer<JsonGenerator> status;
    private final Clock clock;
    private final ConfigCheck configCheck;
    private final AtomicLong refused = new AtomicLong();

    CommandHandler(String gateway, CommandSettings settings, ReplayGuard replays, Supplier<IdentityService> identity,
            Supplier<AuditTrail> audit, Supplier<ConfigurationAdmin> configurationAdmin, Consumer<JsonGenerator> status, Clock clock,
            ConfigCheck configCheck, Supplier<WriteGuard> writes, Supplier<Optimizers> optimizers,
            Supplier<io.millwright.deploy.api.Deployments> deployments) {
        this.gateway = gateway;
        this.deployments = deployments;
        this.writes = writes;
        this.optimizers = optimizers;
        this.settings = settings;
        this.replays = replays;
        this.identity = identity;
        this.audit = audit;
        this.configurationAdmin = configurationAdmin;
        this.status = status;
        this.clock = clock;
        this.configCheck = configCheck;
    }

    /** @return commands refused without a reply (and dropped ones) since start */
    long refused() {
        return refused.get();
    }

    /** Counts a command dropped before it was read (the queue was full). */
    void dropped(String from) {
        refused.incrementAndGet();
    }

    /**
     * @param payload the message's bytes
     * @param retained whether the broker delivered it as a retained message
     * @param from where it came from (the broker), for the audit trail
     * @return the reply, or {@link Outcome#SILENT}
     */
    Outcome handle(byte[] payload, boolean retained, String from) {
        if (retained) {
            return silent(null, "", from, "retained message (a command is never taken from a retained message)");
        }
        if (payload.length > settings.maxBytes()) {
            return silent(null, "", from, "payload of " + payload.length + " bytes over the cap of " + settings.maxBytes());
        }
        JsonObject command;
        try {
            JsonValue value = JSON.createReader(new ByteArrayInputStream(payload), StandardCharsets.UTF_8).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return silent(null, "", from, "malformed: not a JSON object");
            }
            command = value.asJsonObject();
        } catch (JsonException | IllegalStateException e) {
            return silent(null, "", from, "malformed: not JSON");
        }
        String id = text(command, "id");
        String name = text(command, "command");
        String shownName = name == null ? "" : name.length() > 40 ? name.substring(0, 40) + "…" : name;
        if (id == null || !ID.matcher(id).matches()) {
            return silent(null, shownName, from, "malformed: \"id\" must be 1-64 of [A-Za-z0-9._:-]");
        }
        if (name == null) {
            return silent(null, "", from, "malformed: missing \"command\"");
        }
        AuditTrail trail = audit.get();
        if (trail == null) {
            return silent(null, shownName, from, "the audit trail is not running");
        }
        CommandSender.Result sender = CommandSender.identify(payload, command, settings, identity.get());
        if (sender.actor() == null) {
            return silent(null, shownName, from, "unauthorized: " + sender.refusal());
        }
        Actor actor = sender.actor();
        Instant now = clock.instant();
        String stamp = text(command, "timestamp");
        Instant sent;
        try {
            sent = Instant.parse(String.valueOf(stamp));
        } catch (java.time.format.DateTimeParseException e) {
            return silent(actor, shownName, from, "malformed: \"timestamp\" must be an ISO-8601 instant (e.g. 2026-11-30T08:00:00Z)");
        }
        if (Duration.between(sent, now).abs().compareTo(settings.maxAge()) > 0) {
            return silent(actor, shownName, from, "stale: timestamp " + sent + " is more than " + settings.maxAge().toSeconds()
                    + " s from the gateway's clock " + now);
        }
        String replay = replays.accept(id, now);
        if (replay != null) {
            return silent(actor, shownName, from, replay);
        }
        if (!actor.may(CommandSender.required(name))) {
            return answered(actor, id, shownName, from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, "forbidden: "
                    + actor.name() + " (" + actor.role().id() + ") may not " + name + ": needs " + CommandSender.required(name).id()));
        }
        JsonObject args = command.containsKey("args") && command.get("args").getValueType() == JsonValue.ValueType.OBJECT
                ? command.getJsonObject("args") : JsonValue.EMPTY_JSON_OBJECT;
        try {
            return switch (name) {
                case "ping" -> answered(actor, id, name, from, AuditEvent.OK, Map.of(), Map.of(),
                        ok(id, g -> g.write("pong", clock.instant().toString()), false));
                case "status" -> answered(actor, id, name, from, AuditEvent.OK, Map.of(), Map.of(), ok(id, status, false));
                case "get-config" -> getConfig(actor, id, args, from);
                case "set-config" -> setConfig(actor, id, args, from);
                case "write" -> write(actor, id, args, from);
                case "optimizer-stop" -> optimizerStop(actor, id, args, from);
                case "deploy" -> deploy(actor, id, args, from);
                case "artifact" -> artifact(actor, id, args, from);
                case "reconnect" -> answered(actor, id, name, from, AuditEvent.OK, Map.of(), Map.of(),
                        ok(id, g -> g.write("reconnecting", true), true));
                default -> answered(actor, id, shownName, from, AuditEvent.REFUSED, Map.of(), Map.of(),
                        error(id, "unknown command '" + name + "': expected ping, status, get-config, set-config, write, optimizer-stop, deploy, artifact or reconnect"));
            };
        } catch (IOException | RuntimeException e) {
            return answered(actor, id, name, from, AuditEvent.FAILED, Map.of(), Map.of(), error(id, "command '" + name + "' failed: "
                    + e.getMessage()));
        }
    }

    private Outcome silent(Actor actor, String name, String from, String reason) {
        refused.incrementAndGet();
        AuditTrail trail = audit.get();
        if (trail != null) {
            try {
                trail.record(AuditEvent.of(actor == null ? "unknown" : actor.name(), actor == null ? "" : actor.role().id(), "mqtt", from,
                        "command" + (name.isEmpty() ? "" : "." + name), gateway, AuditEvent.REFUSED, reason + " (no reply)"));
            } catch (RuntimeException e) {
                // the refusal stands; the trail's own failure is logged by the uplink
            }
        }
        return Outcome.SILENT;
    }

    private Outcome answered(Actor actor, String id, String name, String from, String result, Map<String, String> before,
            Map<String, String> after, Outcome outcome) {
        String detail = result.equals(AuditEvent.OK) ? "id " + id : "id " + id + ": " + Payloads.errorOf(outcome.response());
        audit.get().record(new AuditEvent(actor.name(), actor.role().id(), "mqtt", from, "command." + name, gateway, before, after,
                result, detail));
        return outcome;
    }

    private Outcome getConfig(Actor actor, String id, JsonObject args, String from) throws IOException {
        String pid = allowedPid(args);
        if (pid == null) {
            return answered(actor, id, "get-config", from, AuditEvent.REFUSED, Map.of(), Map.of(),
                    error(id, "get-config: \"pid\" must be one of " + settings.configAttributes().keySet()));
        }
        Configuration c = configuration(pid);
        Dictionary<String, Object> props = c == null ? null : c.getProperties();
        Outcome reply = ok(id, g -> {
            g.write("pid", pid);
            g.writeStartObject("properties");
            if (props != null) {
                for (String key : Collections.list(props.keys())) {
                    if (CommandSettings.forbidden(pid, key) == null && !key.toLowerCase(java.util.Locale.ROOT).matches(".*(password|secret|token|key)$")) {
                        g.write(key, String.valueOf(props.get(key)));
                    }
                }
            }
            g.writeEnd();
        }, false);
        return answered(actor, id, "get-config", from, AuditEvent.OK, Map.of(), Map.of(), reply);
    }

    /** A setpoint write through the write guard, which checks and audits it; the reply carries the write's record. */
    private Outcome write(Actor actor, String id, JsonObject args, String from) {
        WriteGuard guard = writes.get();
        if (guard == null) {
            return answered(actor, id, "write", from, AuditEvent.FAILED, Map.of(), Map.of(), error(id, "write: the write guard is not running"));
        }
        String asset = text(args, "asset");
        String tag = text(args, "tag");
        JsonValue value = args.get("value");
        if (asset == null || tag == null || !(value instanceof JsonNumber n)) {
            return answered(actor, id, "write", from, AuditEvent.REFUSED, Map.of(), Map.of(),
                    error(id, "write: \"asset\" and \"tag\" (strings) and \"value\" (a number in the tag's unit) are required"));
        }
        WriteRecord r = guard.submit(new WriteRequest(asset, tag, n.doubleValue(), actor.name(), actor.owner(), actor.role(), "mqtt", from,
                args.getBoolean("dryRun", false), text(args, "reason")));
        boolean ok = switch (r.status()) {
            case REFUSED, FAILED, MISMATCH, REJECTED, EXPIRED -> false;
            default -> true;
        };
        Outcome reply = ok ? ok(id, g -> g.write("write", r.id()).write("status", r.status().name()).write("message", r.message()), false)
                : error(id, "write " + r.status().name().toLowerCase(java.util.Locale.ROOT) + (r.rule().isEmpty() ? "" : " by rule " + r.rule())
                        + ": " + r.message());
        return answered(actor, id, "write", from, ok ? AuditEvent.OK : AuditEvent.REFUSED, Map.of(), Map.of("request", r.id()), reply);
    }

    /** The optimizer's kill switch from the cloud: stops an asset's optimizer and reverts its tag (the service audits it). */
    private Outcome optimizerStop(Actor actor, String id, JsonObject args, String from) {
        Optimizers o = optimizers.get();
        if (o == null) {
            return answered(actor, id, "optimizer-stop", from, AuditEvent.FAILED, Map.of(), Map.of(),
                    error(id, "optimizer-stop: the optimizer service is not running"));
        }
        String asset = text(args, "asset");
        if (asset == null) {
            return answered(actor, id, "optimizer-stop", from, AuditEvent.REFUSED, Map.of(), Map.of(),
                    error(id, "optimizer-stop: \"asset\" (a string) is required"));
        }
        OptimizerStatus s;
        try {
            s = o.stop(asset, text(args, "reason") == null ? "" : text(args, "reason"), actor.name(), actor.role(), "mqtt", from);
        } catch (java.util.NoSuchElementException | SecurityException e) {
            return answered(actor, id, "optimizer-stop", from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, "optimizer-stop: " + e.getMessage()));
        }
        return answered(actor, id, "optimizer-stop", from, AuditEvent.OK, Map.of(), Map.of("state", s.state().id()),
                ok(id, g -> g.write("asset", s.asset()).write("state", s.state().name()).write("stoppedBy", s.stoppedBy())
                        .write("revert", s.revert()), false));
    }

    /**
     * A deployment from the cloud (admin): the args are the deployment request (docs/mqtt.md); the reply carries its id
     * and, for {@code "dryRun": true}, the plan. The agent reports each phase on {@code <prefix>/deployments/<id>}.
     */
    private Outcome deploy(Actor actor, String id, JsonObject args, String from) {
        io.millwright.deploy.api.Deployments d = deployments.get();
        if (d == null) {
            return answered(actor, id, "deploy", from, AuditEvent.FAILED, Map.of(), Map.of(), error(id, "deploy: the deployment agent is not running"));
        }
        io.millwright.deploy.api.DeploymentRequest request;
        try {
            request = io.millwright.deploy.api.DeploymentRequests.fromJson(args);
        } catch (IllegalArgumentException e) {
            return answered(actor, id, "deploy", from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, "deploy: " + e.getMessage()));
        }
        if (args.getBoolean("dryRun", false)) {
            try {
                io.millwright.deploy.api.DeploymentPlan plan = d.plan(request);
                return answered(actor, id, "deploy", from, AuditEvent.OK, Map.of(), Map.of("dryRun", "true"), ok(id, g -> {
                    g.write("signer", plan.signer());
                    writeList(g, "install", plan.install());
                    writeList(g, "update", plan.update());
                    writeList(g, "refresh", plan.refresh());
                    writeList(g, "restart", plan.restart());
                    writeList(g, "protectedTouched", plan.protectedTouched());
                }, false));
            } catch (io.millwright.deploy.api.DeploymentException e) {
                return answered(actor, id, "deploy", from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, "deploy: " + e.getMessage()));
            }
        }
        io.millwright.deploy.api.DeploymentStatus s;
        try {
            s = d.submit(request, actor.name(), actor.role().id(), "mqtt", from);
        } catch (SecurityException e) {
            return answered(actor, id, "deploy", from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, "deploy: " + e.getMessage()));
        }
        return answered(actor, id, "deploy", from, AuditEvent.OK, Map.of(), Map.of("deployment", s.id()),
                ok(id, g -> g.write("deployment", s.id()).write("phase", s.phase().name()).write("progress", "deployments/" + s.id()), false));
    }

    /**
     * A piece of a file for a local repository (admin), for gateways without a route to a repository server: {@code
     * repository}, {@code file}, {@code offset}, {@code total}, {@code sha256} (the whole file's) and {@code data}
     * (Base64). The reply says how much of the file the gateway holds, so a sender resumes there.
     */
    private Outcome artifact(Actor actor, String id, JsonObject args, String from) {
        io.millwright.deploy.api.Deployments d = deployments.get();
        if (d == null) {
            return answered(actor, id, "artifact", from, AuditEvent.FAILED, Map.of(), Map.of(), error(id, "artifact: the deployment agent is not running"));
        }
        io.millwright.deploy.api.ChunkReceipt r;
        try {
            JsonValue offset = args.get("offset");
            JsonValue total = args.get("total");
            String data = text(args, "data");
            if (!(offset instanceof JsonNumber o) || !(total instanceof JsonNumber t) || data == null) {
                throw new IllegalArgumentException("\"offset\" and \"total\" (numbers) and \"data\" (Base64) are required");
            }
            r = d.receive(new io.millwright.deploy.api.ArtifactChunk(text(args, "repository"), text(args, "file"), o.longValueExact(), t.longValueExact(),
                    text(args, "sha256"), java.util.Base64.getDecoder().decode(data)), actor.name(), actor.role().id(), "mqtt", from);
        } catch (IllegalArgumentException | ArithmeticException | IllegalStateException | SecurityException e) {
            return answered(actor, id, "artifact", from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, "artifact: " + e.getMessage()));
        }
        io.millwright.deploy.api.ChunkReceipt receipt = r;
        return answered(actor, id, "artifact", from, AuditEvent.OK, Map.of(), Map.of("file", receipt.repository() + "/" + receipt.file(),
                "received", Long.toString(receipt.received())), ok(id, g -> g.write("repository", receipt.repository()).write("file", receipt.file())
                        .write("received", receipt.received()).write("total", receipt.total()).write("complete", receipt.complete()), false));
    }

    private static void writeList(JsonGenerator g, String name, java.util.List<String> values) {
        g.writeStartArray(name);
        values.forEach(g::write);
        g.writeEnd();
    }

    private Outcome setConfig(Actor actor, String id, JsonObject args, String from) throws IOException {
        String pid = allowedPid(args);
        if (pid == null) {
            return refusedChange(actor, id, from, "set-config: \"pid\" must be one of " + settings.configAttributes().keySet());
        }
        if (!args.containsKey("properties") || args.get("properties").getValueType() != JsonValue.ValueType.OBJECT) {
            return refusedChange(actor, id, from, "set-config: \"properties\" must be an object");
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
            String forbidden = CommandSettings.forbidden(pid, e.getKey());
            if (forbidden == null && !settings.configAttributes().get(pid).contains(e.getKey())) {
                forbidden = "attribute '" + e.getKey() + "' of " + pid + " is not open to commands (commandConfigAttributes: "
                        + settings.configAttributes().get(pid) + ")";
            }
            if (forbidden != null) {
                return refusedChange(actor, id, from, "set-config: " + forbidden);
            }
            if (v == null) {
                return refusedChange(actor, id, from, "set-config: property '" + e.getKey() + "' must be a string, number or boolean");
            }
            changes.put(e.getKey(), v);
        }
        String invalid = configCheck.check(pid, changes);
        if (invalid != null) {
            return refusedChange(actor, id, from, "set-config: " + invalid);
        }
        Configuration c = configuration(pid);
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        Map<String, String> before = new java.util.TreeMap<>();
        Map<String, String> after = new java.util.TreeMap<>();
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            before.put(e.getKey(), String.valueOf(props.get(e.getKey())));
            after.put(e.getKey(), String.valueOf(e.getValue()));
            props.put(e.getKey(), e.getValue());
        }
        try {
            // the configuration audit records the change as this command's
            ActingAs.call(new ActingAs.Who(actor.name(), actor.role().id(), "mqtt", from + " command " + id), () -> {
                c.update(props);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return answered(actor, id, "set-config", from, AuditEvent.OK, before, after,
                ok(id, g -> g.write("pid", pid).write("updated", changes.size()), false));
    }

    private Outcome refusedChange(Actor actor, String id, String from, String why) {
        return answered(actor, id, "set-config", from, AuditEvent.REFUSED, Map.of(), Map.of(), error(id, why));
    }

    private String allowedPid(JsonObject args) {
        String pid = text(args, "pid");
        return pid != null && settings.configAttributes().containsKey(pid) && CommandSettings.forbidden(pid, "x") == null ? pid : null;
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
