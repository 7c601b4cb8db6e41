package io.millwright.rest.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.api.AuditTrail;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.history.api.History;
import io.millwright.history.api.HistoryPoint;
import io.millwright.history.api.HistoryQuery;
import io.millwright.history.api.HistorySeries;
import io.millwright.history.api.WaveformBlock;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.IdentityService;
import io.millwright.identity.api.Role;
import io.millwright.journal.api.Journal;
import io.millwright.uplink.api.Uplink;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The REST API {@code /api/v1} (JSON; errors as RFC 9457 problem details). Every request has passed the gateway's
 * guard (HTTPS, a session or an API token, at least {@code viewer}); operations that need more check the actor's role
 * here: configuration changes {@code engineer}, the audit log {@code engineer}, users {@code admin}. The contract is
 * {@code /api/v1/openapi.json}, browsable at {@code /api/v1/docs/}.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardServletPattern("/api/v1/*")
@HttpWhiteboardServletAsyncSupported
public final class ApiServlet extends HttpServlet {

    static final String ACTOR_ATTRIBUTE = "io.millwright.actor";
    static final int MAX_EVENT_STREAMS = 32;
    static final String SWAGGER = "/META-INF/resources/webjars/swagger-ui/5.34.1/";
    private static final long serialVersionUID = 1L;

    private final transient Journal journal;
    private final transient History history;
    private final transient IdentityService identity;
    private final transient AuditTrail audit;
    private final transient DeviceConfigurations configurations;
    private final transient LiveFeed feed;
    private final transient Map<String, DeviceEntry> devices = new ConcurrentHashMap<>();
    private final transient List<Uplink> uplinks = new CopyOnWriteArrayList<>();
    private final transient List<io.millwright.analytics.api.ModelInventory> inventories = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.asset.api.AssetModel assetModel;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.asset.api.Twins twins;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.alarm.api.Alarms alarms;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.write.api.WriteGuard writeGuard;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.kpi.api.Kpis kpis;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.quality.api.DataQuality quality;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.whatif.api.WhatIf whatIf;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.optimizer.api.Optimizers optimizers;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile io.millwright.deploy.api.Deployments deployments;
    private final transient org.osgi.framework.BundleContext context;
    private final transient AtomicInteger streams = new AtomicInteger();
    private final byte[] openApi;

    /** A device service with what its registration says. */
    record DeviceEntry(Device device, org.osgi.framework.Bundle bundle) {
    }

    @Activate
    public ApiServlet(@Reference Journal journal, @Reference History history, @Reference IdentityService identity, @Reference AuditTrail audit,
            @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metaType, org.osgi.framework.BundleContext context) {
        this.context = context;
        this.journal = journal;
        this.history = history;
        this.identity = identity;
        this.audit = audit;
        this.configurations = new DeviceConfigurations(configAdmin, metaType);
        this.openApi = resource("/openapi.json");
        this.feed = new LiveFeed(journal);
    }

    @Deactivate
    void deactivate() {
        feed.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device, ServiceReference<Device> ref) {
        devices.put(device.id(), new DeviceEntry(device, ref.getBundle()));
    }

    void unbindDevice(Device device) {
        devices.remove(device.id(), devices.get(device.id()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUplink(Uplink uplink) {
        uplinks.add(uplink);
    }

    void unbindUplink(Uplink uplink) {
        uplinks.remove(uplink);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInventory(io.millwright.analytics.api.ModelInventory inventory) {
        inventories.add(inventory);
    }

    void unbindInventory(io.millwright.analytics.api.ModelInventory inventory) {
        inventories.remove(inventory);
    }

    private final transient List<io.millwright.analytics.api.ModelOutcomes> outcomes = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindOutcomes(io.millwright.analytics.api.ModelOutcomes o) {
        outcomes.add(o);
    }

    void unbindOutcomes(io.millwright.analytics.api.ModelOutcomes o) {
        outcomes.remove(o);
    }

    /**
     * A failure or maintenance a person or a maintenance system reports (e.g. found at an inspection, or a repair done
     * outside the gateway's maintenance mode): the models' answers for the asset are judged against it. Engineer;
     * audited as {@code model.outcome}, refusals too.
     */
    private JsonObject outcome(String asset, JsonObject body, Actor actor, HttpServletRequest req) throws Problem {
        if (!actor.may(Role.ENGINEER)) {
            audit.record(io.millwright.audit.api.AuditEvent.of(actor.name(), actor.role().id(), "web", req.getRemoteAddr(), "model.outcome", asset,
                    io.millwright.audit.api.AuditEvent.REFUSED, "needs the role engineer"));
            throw Problem.forbidden(actor.name() + " (" + actor.role().id() + ") may not report an asset's failure or maintenance: needs engineer");
        }
        if (service(assetModel, "the asset model").asset(asset).isEmpty()) {
            throw Problem.notFound("no asset " + asset + " in the asset model");
        }
        String kind = body.getString("outcome", "");
        io.millwright.analytics.api.ModelOutcomes.Outcome outcome;
        try {
            outcome = io.millwright.analytics.api.ModelOutcomes.Outcome.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("outcome", "'" + kind + "': FAILURE or MAINTENANCE");
        }
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant at;
        try {
            at = body.containsKey("time") ? java.time.Instant.parse(body.getString("time")) : now;
        } catch (java.time.format.DateTimeParseException | ClassCastException e) {
            throw Problem.badField("time", "'" + body.get("time") + "' is not an ISO-8601 instant (e.g. 2026-12-01T10:15:00Z)");
        }
        if (at.isAfter(now.plusSeconds(60))) {
            throw Problem.badField("time", at + " is in the future");
        }
        if (outcomes.isEmpty()) {
            throw new Problem(503, "unavailable", "no scoring engine is running: nothing to judge");
        }
        for (io.millwright.analytics.api.ModelOutcomes o : outcomes) {
            o.record(asset, at, outcome);
        }
        String note = body.getString("note", "");
        audit.record(io.millwright.audit.api.AuditEvent.of(actor.name(), actor.role().id(), "web", req.getRemoteAddr(), "model.outcome", asset,
                io.millwright.audit.api.AuditEvent.OK, outcome + " at " + at + (note.isEmpty() ? "" : ": " + note)));
        return Json.createObjectBuilder().add("asset", asset).add("outcome", outcome.name()).add("time", at.toString()).build();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        resp.setHeader("Cache-Control", "no-store");
        try {
            Actor actor = req.getAttribute(ACTOR_ATTRIBUTE) instanceof Actor a ? a : null;
            if (actor == null) {
                throw new Problem(401, "login needed", "no authenticated user on this request");
            }
            route(req, resp, path, actor);
        } catch (Problem p) {
            if (!resp.isCommitted()) {
                p.send(resp);
            }
        } catch (IllegalArgumentException e) {
            if (!resp.isCommitted()) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                int colon = message.indexOf(": ");
                String field = colon > 0 && message.substring(0, colon).matches("[A-Za-z.]+") ? message.substring(0, colon) : "request";
                Problem.badField(field, colon > 0 ? message.substring(colon + 2) : message).send(resp);
            }
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp, String path, Actor actor) throws Problem, IOException {
        String method = req.getMethod();
        String[] parts = path.substring(1).split("/", -1);
        switch (parts[0]) {
            case "openapi.json" -> {
                get(method);
                resp.setContentType("application/json");
                resp.getOutputStream().write(openApi);
            }
            case "docs" -> {
                if (parts.length == 1) {
                    resp.sendRedirect("/api/v1/docs/");
                } else {
                    docs(resp, parts[1]);
                }
            }
            case "me" -> me(req, resp, parts, actor);
            case "assets" -> {
                if (parts.length >= 3 && parts[2].equals("twin")) {
                    get(method);
                    json(resp, AlarmResources.twin(service(twins, "the twin"), parts[1]));
                } else if (parts.length == 3 && parts[2].equals("whatif")) {
                    post(method);
                    AlarmResources.need(actor, Role.OPERATOR, "run a what-if");
                    json(resp, WhatIfResources.run(service(whatIf, "the what-if service"), parts[1], body(req)));
                } else if (parts.length == 3 && parts[2].equals("optimizer")) {
                    get(method);
                    json(resp, OptimizerResources.status(service(optimizers, "the optimizer service"), parts[1]));
                } else if (parts.length == 4 && parts[2].equals("optimizer")) {
                    post(method);
                    json(resp, OptimizerResources.act(service(optimizers, "the optimizer service"), parts[1], parts[3], body(req), actor, req));
                } else if (parts.length == 3 && parts[2].equals("kpis")) {
                    get(method);
                    json(resp, KpiResources.asset(service(kpis, "the KPI reader"), parts[1], req));
                } else if (parts.length == 5 && parts[2].equals("tags") && parts[4].equals("write")) {
                    post(method);
                    WriteResources.send(resp, interruptible(() -> WriteResources.write(service(writeGuard, "the write guard"), parts[1], parts[3],
                            body(req), actor, req)));
                } else if (parts.length == 3 && parts[2].equals("outcomes")) {
                    post(method);
                    json(resp, outcome(parts[1], body(req), actor, req));
                } else if (parts.length >= 3 && parts[2].equals("maintenance")) {
                    post(method);
                    AlarmResources.need(actor, Role.OPERATOR, "start or end an asset's maintenance");
                    json(resp, AlarmResources.maintenance(service(twins, "the twin"), parts[1], body(req), actor));
                } else {
                    get(method);
                    assets(resp, parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null);
                }
            }
            case "asset-model" -> {
                get(method);
                json(resp, AlarmResources.model(service(assetModel, "the asset model")));
            }
            case "alarms" -> alarms(req, resp, parts, actor);
            case "writes" -> writes(req, resp, parts, actor);
            case "kpis" -> {
                get(method);
                json(resp, KpiResources.overview(service(kpis, "the KPI reader")));
            }
            case "quality" -> {
                io.millwright.quality.api.DataQuality q = service(quality, "the data-quality reader");
                if (parts.length == 5 && parts[1].equals("consistency") && parts[4].equals("relearn")) {
                    post(method);
                    relearn(q, parts[2], parts[3], actor, req);
                    json(resp, Json.createObjectBuilder().add("asset", parts[2]).add("tag", parts[3]).add("verdict", "LEARNING")
                            .add("referenceWindows", 0).build());
                    return;
                }
                get(method);
                if (parts.length == 1 || parts[1].isEmpty()) {
                    json(resp, JsonValues.of(q.channels()));
                } else if (parts.length == 2 && parts[1].equals("consistency")) {
                    json(resp, JsonValues.of(q.consistency()));
                } else if (parts.length == 3) {
                    io.millwright.api.ChannelId c = new io.millwright.api.ChannelId(parts[1], parts[2]);
                    json(resp, JsonValues.of(q.channel(c).orElseThrow(() -> Problem.notFound("no data-quality report for " + c
                            + " (yet: a channel's first report comes at the end of its first window)"))));
                } else {
                    throw Problem.notFound("no such resource: /api/v1" + path + " (/api/v1/quality, /api/v1/quality/consistency, "
                            + "/api/v1/quality/<asset>/<tag>, POST /api/v1/quality/consistency/<asset>/<tag>/relearn)");
                }
            }
            case "lines" -> {
                get(method);
                if (parts.length != 3 || !parts[2].equals("kpis")) {
                    throw Problem.notFound("no such resource: /api/v1" + path + " (lines have /api/v1/lines/<line>/kpis)");
                }
                json(resp, KpiResources.line(service(kpis, "the KPI reader"), parts[1], req));
            }
            case "optimizers" -> {
                get(method);
                json(resp, JsonValues.of(service(optimizers, "the optimizer service").statuses()));
            }
            case "deployments" -> {
                io.millwright.deploy.api.Deployments d = service(deployments, "the deployment agent");
                if (parts.length == 1 || parts[1].isEmpty()) {
                    if (method.equals("POST")) {
                        JsonObject b = body(req);
                        JsonValue result = DeploymentResources.create(d, audit, b, actor, req);
                        resp.setStatus(b.getBoolean("dryRun", false) ? 200 : 202);
                        json(resp, result);
                    } else {
                        get(method);
                        need(actor, Role.ENGINEER, "read deployments");
                        json(resp, DeploymentResources.list(d));
                    }
                } else {
                    get(method);
                    need(actor, Role.ENGINEER, "read deployments");
                    json(resp, DeploymentResources.status(d, parts[1]));
                }
            }
            case "packages" -> {
                get(method);
                need(actor, Role.ENGINEER, "read the packages");
                json(resp, DeploymentResources.packages(service(deployments, "the deployment agent"), context));
            }
            case "write-policies" -> {
                get(method);
                json(resp, WriteResources.policies(service(writeGuard, "the write guard")));
            }
            case "twins" -> {
                get(method);
                json(resp, AlarmResources.twinSummaries(service(twins, "the twin")));
            }
            case "devices" -> devices(req, resp, parts, actor);
            case "journal" -> {
                get(method);
                json(resp, JsonValues.of(journal.statistics()));
            }
            case "uplink" -> {
                get(method);
                json(resp, JsonValues.of(uplinks.stream().map(Uplink::status).toList()));
            }
            case "history" -> {
                get(method);
                if (parts.length > 1 && parts[1].equals("status")) {
                    json(resp, JsonValues.of(history.status()));
                } else {
                    history(req, resp);
                }
            }
            case "audit" -> {
                get(method);
                need(actor, Role.ENGINEER, "read the audit log");
                audit(req, resp);
            }
            case "users" -> users(req, resp, parts, actor);
            case "models" -> {
                get(method);
                models(resp);
            }
            case "events" -> {
                get(method);
                events(req, resp);
            }
            default -> throw Problem.notFound("no such resource: /api/v1" + path);
        }
    }

    private void alarms(HttpServletRequest req, HttpServletResponse resp, String[] parts, Actor actor) throws Problem, IOException {
        io.millwright.alarm.api.Alarms engine = service(alarms, "the alarm engine");
        if (parts.length == 1 || parts.length == 2 && parts[1].isEmpty()) {
            get(req.getMethod());
            json(resp, AlarmResources.list(engine, req));
        } else if (parts.length == 2 && parts[1].equals("events")) {
            get(req.getMethod());
            json(resp, AlarmResources.events(engine, req));
        } else if (parts.length == 2 && parts[1].equals("kpis")) {
            get(req.getMethod());
            json(resp, AlarmResources.kpis(engine, req));
        } else if (parts.length == 3) {
            get(req.getMethod());
            String id = parts[1] + "/" + parts[2];
            json(resp, JsonValues.of(engine.alarm(id).orElseThrow(() -> Problem.notFound("no alarm " + id))));
        } else if (parts.length == 4) {
            post(req.getMethod());
            json(resp, AlarmResources.act(engine, parts[1] + "/" + parts[2], parts[3], body(req), actor));
        } else {
            throw Problem.notFound("no such resource: /api/v1/" + String.join("/", parts));
        }
    }

    private void writes(HttpServletRequest req, HttpServletResponse resp, String[] parts, Actor actor) throws Problem, IOException {
        io.millwright.write.api.WriteGuard guard = service(writeGuard, "the write guard");
        if (parts.length == 1 || parts.length == 2 && parts[1].isEmpty()) {
            get(req.getMethod());
            int max;
            try {
                max = Math.max(1, Math.min(1000, Integer.parseInt(param(req, "max", "100"))));
            } catch (NumberFormatException e) {
                throw Problem.badField("max", "'" + req.getParameter("max") + "' — expected a whole number 1-1000");
            }
            json(resp, JsonValues.of(guard.records(max)));
        } else if (parts.length == 2) {
            get(req.getMethod());
            json(resp, JsonValues.of(guard.record(parts[1]).orElseThrow(() -> Problem.notFound("no write request " + parts[1]))));
        } else if (parts.length == 3) {
            post(req.getMethod());
            WriteResources.send(resp, interruptible(() -> WriteResources.act(guard, parts[1], parts[2], body(req), actor)));
        } else {
            throw Problem.notFound("no such resource: /api/v1/" + String.join("/", parts));
        }
    }

    private interface Waiting<T> {
        T get() throws Problem, IOException, InterruptedException;
    }

    private static <T> T interruptible(Waiting<T> w) throws Problem, IOException {
        try {
            return w.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "unavailable", "interrupted while waiting for the device's read-back");
        }
    }

    private static <T> T service(T service, String what) throws Problem {
        if (service == null) {
            throw new Problem(503, "unavailable", what + " is not running on this gateway");
        }
        return service;
    }

    private static void post(String method) throws Problem {
        if (!method.equals("POST")) {
            throw new Problem(405, "method not allowed", method + " is not allowed here: use POST");
        }
    }

    /** An engineer's request to learn a consistency rule's reference again: authorised, audited (refusals too). */
    private void relearn(io.millwright.quality.api.DataQuality q, String asset, String tag, Actor actor, HttpServletRequest req) throws Problem {
        String target = asset + "/" + tag;
        if (!actor.may(Role.ENGINEER)) {
            audit.record(io.millwright.audit.api.AuditEvent.of(actor.name(), actor.role().id(), "web", req.getRemoteAddr(),
                    "quality.relearn", target, io.millwright.audit.api.AuditEvent.REFUSED, "needs the role engineer"));
            throw Problem.forbidden(actor.name() + " (" + actor.role().id() + ") may not relearn a consistency reference: needs engineer");
        }
        if (!q.relearn(asset, tag)) {
            throw Problem.notFound("no consistency rule on " + target + " (GET /api/v1/quality/consistency lists them)");
        }
        audit.record(io.millwright.audit.api.AuditEvent.of(actor.name(), actor.role().id(), "web", req.getRemoteAddr(), "quality.relearn",
                target, io.millwright.audit.api.AuditEvent.OK, "the reference is learnt again from the next windows"));
    }

    private static void get(String method) throws Problem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new Problem(405, "method not allowed", method + " is not allowed here");
        }
    }

    private static void need(Actor actor, Role role, String what) throws Problem {
        if (!actor.may(role)) {
            throw Problem.forbidden(actor.name() + " (" + actor.role().id() + ") may not " + what + ": needs " + role.id());
        }
    }

    private static void json(HttpServletResponse resp, JsonValue value) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("utf-8");
        resp.getOutputStream().write(value.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject body(HttpServletRequest req) throws Problem, IOException {
        if (req.getContentLength() > 65_536) {
            throw new Problem(413, "too large", "a request body may hold at most 64 KiB");
        }
        try (InputStream in = req.getInputStream(); JsonReader r = Json.createReader(new java.io.ByteArrayInputStream(in.readNBytes(65_537)))) {
            return r.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw Problem.badField("body", "not a JSON object: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the signed-in user

    private void me(HttpServletRequest req, HttpServletResponse resp, String[] parts, Actor actor) throws Problem, IOException {
        if (parts.length == 1) {
            get(req.getMethod());
            json(resp, Json.createObjectBuilder().add("name", actor.name()).add("role", actor.role().id()).add("kind", actor.kind().name().toLowerCase())
                    .build());
            return;
        }
        if (parts[1].equals("password") && req.getMethod().equals("POST")) {
            if (actor.kind() != Actor.Kind.USER) {
                throw Problem.forbidden("an API token cannot change a password");
            }
            JsonObject body = body(req);
            String current = body.getString("current", null);
            String password = body.getString("password", null);
            if (current == null || identity.authenticate(actor.name(), current.toCharArray()).isEmpty()) {
                throw new Problem(400, "invalid request", "current: the current password is wrong",
                        List.of(new Problem.FieldError("current", "the current password is wrong")));
            }
            if (password == null) {
                throw Problem.badField("password", "missing");
            }
            try {
                identity.setPassword(actor, actor.name(), password.toCharArray());
            } catch (IllegalArgumentException e) {
                throw Problem.badField("password", e.getMessage());
            }
            resp.setStatus(204);
            return;
        }
        throw Problem.notFound("no such resource: /api/v1/me/" + parts[1]);
    }

    private void users(HttpServletRequest req, HttpServletResponse resp, String[] parts, Actor actor) throws Problem, IOException {
        need(actor, Role.ADMIN, "manage users");
        if (parts.length == 1 && req.getMethod().equals("GET")) {
            json(resp, JsonValues.of(identity.users()));
            return;
        }
        if (parts.length == 1 && req.getMethod().equals("POST")) {
            JsonObject body = body(req);
            String name = body.getString("name", "");
            Role role;
            try {
                role = Role.parse(body.getString("role", ""));
            } catch (IllegalArgumentException e) {
                throw Problem.badField("role", e.getMessage());
            }
            String password = body.getString("password", "");
            try {
                identity.addUser(actor, name, role, password.toCharArray());
            } catch (IllegalArgumentException e) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                throw Problem.badField(m.toLowerCase().contains("password") ? "password" : "name", m);
            }
            resp.setStatus(201);
            return;
        }
        if (parts.length == 2 && req.getMethod().equals("DELETE")) {
            try {
                identity.removeUser(actor, parts[1]);
            } catch (IllegalArgumentException e) {
                throw Problem.badField("name", e.getMessage());
            }
            resp.setStatus(204);
            return;
        }
        throw new Problem(405, "method not allowed", req.getMethod() + " is not allowed here");
    }

    // ------------------------------------------------------------------ assets and devices

    private void assets(HttpServletResponse resp, String only) throws Problem, IOException {
        Map<ChannelId, Sample> latest = feed.latest();
        Map<ChannelId, String> units = new TreeMap<>(Comparator.comparing(ChannelId::toString));
        Map<ChannelId, String> deviceOf = new TreeMap<>(Comparator.comparing(ChannelId::toString));
        Map<String, DeviceEntry> byId = Map.copyOf(devices);
        for (DeviceEntry d : byId.values()) {
            for (ChannelDescriptor c : d.device().channels()) {
                units.put(c.id(), c.unit());
                deviceOf.put(c.id(), d.device().id());
            }
        }
        TreeMap<String, TreeMap<String, JsonObjectBuilder>> assets = new TreeMap<>();
        for (ChannelId id : units.keySet()) {
            assets.computeIfAbsent(id.asset(), a -> new TreeMap<>()).put(id.tag(), Json.createObjectBuilder());
        }
        for (ChannelId id : latest.keySet()) {
            assets.computeIfAbsent(id.asset(), a -> new TreeMap<>()).putIfAbsent(id.tag(), Json.createObjectBuilder());
        }
        if (only != null && !assets.containsKey(only)) {
            throw Problem.notFound("no asset " + only);
        }
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (var asset : assets.entrySet()) {
            if (only != null && !asset.getKey().equals(only)) {
                continue;
            }
            JsonArrayBuilder channels = Json.createArrayBuilder();
            for (var tag : asset.getValue().entrySet()) {
                ChannelId id = new ChannelId(asset.getKey(), tag.getKey());
                JsonObjectBuilder c = tag.getValue().add("tag", tag.getKey()).add("channel", id.toString());
                String unit = units.get(id);
                if (unit != null && !unit.isEmpty()) {
                    c.add("unit", unit);
                }
                String device = deviceOf.get(id);
                if (device != null) {
                    c.add("device", device);
                    DeviceEntry d = byId.get(device);
                    if (d != null && d.device().status().state() != io.millwright.driver.api.DeviceState.ONLINE) {
                        c.add("stale", true).add("staleReason", "device " + device + " is " + d.device().status().state());
                    }
                }
                Sample s = latest.get(id);
                if (s != null) {
                    StringBuilder b = new StringBuilder();
                    LiveFeed.sampleJson(b, s);
                    try (JsonReader r = Json.createReader(new java.io.StringReader(b.toString()))) {
                        JsonObject o = r.readObject();
                        c.add("value", o.get("v")).add("time", Instant.ofEpochMilli(s.sourceTimeMicros() / 1000).toString())
                                .add("quality", s.quality().level().name());
                        if (!s.quality().reason().isEmpty()) {
                            c.add("qualityReason", s.quality().reason());
                        }
                    }
                }
                channels.add(c);
            }
            JsonObjectBuilder a = Json.createObjectBuilder().add("asset", asset.getKey()).add("channels", channels);
            out.add(a);
        }
        JsonValue answer = out.build();
        json(resp, only == null ? answer : answer.asJsonArray().get(0));
    }

    private void devices(HttpServletRequest req, HttpServletResponse resp, String[] parts, Actor actor) throws Problem, IOException {
        if (parts.length == 1 || parts[1].isEmpty()) {
            get(req.getMethod());
            JsonArrayBuilder out = Json.createArrayBuilder();
            new TreeMap<>(devices).values().forEach(d -> out.add(device(d)));
            json(resp, out.build());
            return;
        }
        DeviceEntry d = devices.get(parts[1]);
        if (d == null) {
            throw Problem.notFound("no device " + parts[1]);
        }
        if (parts.length == 2) {
            get(req.getMethod());
            json(resp, device(d));
            return;
        }
        if (!parts[2].equals("configuration")) {
            throw Problem.notFound("no such resource: " + String.join("/", parts));
        }
        org.osgi.service.cm.Configuration configuration = configurations.of(d.device().id());
        if (configuration == null) {
            throw Problem.notFound("device " + d.device().id() + " has no configuration with deviceId=" + d.device().id());
        }
        switch (req.getMethod()) {
            case "GET" -> {
                // the form is for changing it; it may name hosts and addresses: engineers only
                need(actor, Role.ENGINEER, "open a device's configuration");
                json(resp, configurations.form(d.bundle(), configuration));
            }
            case "PUT", "PATCH" -> {
                need(actor, Role.ENGINEER, "change a device's configuration");
                List<String> changed = configurations.change(d.bundle(), configuration, body(req));
                json(resp, Json.createObjectBuilder().add("pid", configuration.getPid()).add("changed", Json.createArrayBuilder(changed)).build());
            }
            default -> throw new Problem(405, "method not allowed", req.getMethod() + " is not allowed here");
        }
    }

    private JsonObject device(DeviceEntry d) {
        return Json.createObjectBuilder().add("id", d.device().id()).add("driver", d.device().driver()).add("status", JsonValues.of(d.device().status()))
                .add("counters", JsonValues.of(d.device().counters())).add("channels", d.device().channels().size())
                .add("configurable", configurations.of(d.device().id()) != null).build();
    }

    // ------------------------------------------------------------------ models

    /**
     * The models the scoring engines serve (version in service, candidate in shadow with its comparisons, previous
     * version, events), what each answered last per asset (from the score channels {@code s.<set>.<model>.*}), and
     * the model packages accepted and refused as the audit log recorded them (kept across restarts).
     */
    private void models(HttpServletResponse resp) throws IOException {
        Map<ChannelId, Sample> latest = feed.latest();
        JsonArrayBuilder out = Json.createArrayBuilder();
        List<AuditEntry> recent = audit.read(Math.max(1, audit.lastSequence() - 2000), 2001);
        for (io.millwright.analytics.api.ModelInventory inventory : inventories) {
            for (io.millwright.analytics.api.ModelStatus m : inventory.models()) {
                JsonObjectBuilder o = Json.createObjectBuilder(JsonValues.of(m).asJsonObject());
                JsonArrayBuilder assets = Json.createArrayBuilder();
                String suffix = "." + m.id() + ".lineage";
                for (Map.Entry<ChannelId, Sample> e : latest.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(ChannelId::toString))).toList()) {
                    String tag = e.getKey().tag();
                    if (!tag.startsWith("s.") || !tag.endsWith(suffix)) {
                        continue;
                    }
                    String prefix = tag.substring(0, tag.length() - ".lineage".length());
                    JsonObjectBuilder a = Json.createObjectBuilder().add("asset", e.getKey().asset()).add("lineage", String.valueOf(e.getValue().value()
                            instanceof io.millwright.api.StringValue sv ? sv.value() : e.getValue().value().toString()));
                    Sample result = latest.get(new ChannelId(e.getKey().asset(), prefix + ".result"));
                    Sample urgency = latest.get(new ChannelId(e.getKey().asset(), prefix + ".urgency"));
                    if (result != null) {
                        a.add("result", JsonValues.of(result.value().asDouble())).add("time", Instant.EPOCH.plus(result.sourceTimeMicros(),
                                java.time.temporal.ChronoUnit.MICROS).toString());
                    }
                    if (urgency != null && urgency.value() instanceof io.millwright.api.StringValue u) {
                        a.add("urgency", u.value());
                    }
                    assets.add(a);
                }
                JsonArrayBuilder packages = Json.createArrayBuilder();
                for (AuditEntry e : recent) {
                    if (e.event().action().startsWith("model.") && (e.event().target().startsWith(m.id() + " ") || e.event().target().contains(m.id()))) {
                        packages.add(Json.createObjectBuilder().add("time", e.time().toString()).add("action", e.event().action())
                                .add("target", e.event().target()).add("result", e.event().result()).add("detail", e.event().detail()));
                    }
                }
                out.add(o.add("assets", assets).add("packages", packages));
            }
        }
        json(resp, out.build());
    }

    // ------------------------------------------------------------------ history and audit

    private void history(HttpServletRequest req, HttpServletResponse resp) throws Problem, IOException {
        String channel = req.getParameter("channel");
        if (channel == null || channel.isBlank()) {
            throw Problem.badField("channel", "missing: asset/tag, e.g. pump-1/speed");
        }
        ChannelId id;
        try {
            id = ChannelId.parse(channel);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("channel", e.getMessage());
        }
        Instant to = instant(req, "to", Instant.now());
        Instant from = instant(req, "from", to.minusSeconds(3600));
        int points;
        try {
            points = Integer.parseInt(param(req, "points", "1000"));
        } catch (NumberFormatException e) {
            throw Problem.badField("points", "'" + req.getParameter("points") + "' is not a whole number");
        }
        HistorySeries series = history.query(new HistoryQuery(id, from, to, points, "true".equals(req.getParameter("raw"))));
        resp.setContentType("application/json");
        resp.setCharacterEncoding("utf-8");
        // columnar: times in epoch milliseconds, ready for a chart
        try (JsonGenerator g = Json.createGenerator(resp.getOutputStream())) {
            g.writeStartObject().write("channel", id.toString()).write("resolution", series.resolution().name())
                    .write("bucketSeconds", series.bucketMicros() / 1e6).write("from", from.toString()).write("to", to.toString());
            List<HistoryPoint> p = series.points();
            column(g, "time", p, x -> x.timeMicros() / 1000.0);
            column(g, "min", p, HistoryPoint::min);
            column(g, "max", p, HistoryPoint::max);
            column(g, "mean", p, HistoryPoint::mean);
            column(g, "last", p, HistoryPoint::last);
            column(g, "count", p, x -> x.count());
            column(g, "badShare", p, HistoryPoint::badShare);
            if (!series.waveforms().isEmpty()) {
                g.writeStartArray("waveforms");
                for (WaveformBlock w : series.waveforms()) {
                    g.writeStartObject().write("time", Instant.ofEpochMilli(w.timeMicros() / 1000).toString()).write("sampleRateHz", w.sampleRateHz())
                            .write("bad", w.bad()).writeStartArray("points");
                    for (double v : w.points()) {
                        g.write(v);
                    }
                    g.writeEnd().writeEnd();
                }
                g.writeEnd();
            }
            g.writeEnd();
        }
    }

    private static void column(JsonGenerator g, String name, List<HistoryPoint> points, java.util.function.ToDoubleFunction<HistoryPoint> f) {
        g.writeStartArray(name);
        for (HistoryPoint p : points) {
            double v = f.applyAsDouble(p);
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                g.write((long) v);
            } else {
                g.write(v);
            }
        }
        g.writeEnd();
    }

    private static String param(HttpServletRequest req, String name, String fallback) {
        String v = req.getParameter(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Instant instant(HttpServletRequest req, String name, Instant fallback) throws Problem {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw Problem.badField(name, "'" + v + "' is not an ISO-8601 instant (e.g. 2026-11-30T08:00:00Z)");
        }
    }

    private void audit(HttpServletRequest req, HttpServletResponse resp) throws Problem, IOException {
        int max;
        long before;
        try {
            max = Integer.parseInt(param(req, "max", "100"));
            before = Long.parseLong(param(req, "before", Long.toString(audit.lastSequence() + 1)));
        } catch (NumberFormatException e) {
            throw Problem.badField(req.getParameter("max") != null && !req.getParameter("max").matches("\\d+") ? "max" : "before", "not a whole number");
        }
        if (max < 1 || max > 1000) {
            throw Problem.badField("max", max + " must be 1 to 1000");
        }
        // newest first: the page shows what happened last
        List<AuditEntry> entries = audit.read(Math.max(1, before - max), (int) Math.min(max, Math.max(0, before - 1)));
        List<AuditEntry> newestFirst = new ArrayList<>(entries);
        newestFirst.removeIf(e -> e.sequence() >= before);
        newestFirst.sort(Comparator.comparingLong(AuditEntry::sequence).reversed());
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (AuditEntry e : newestFirst) {
            var ev = e.event();
            out.add(Json.createObjectBuilder().add("sequence", e.sequence()).add("time", e.time().toString()).add("actor", ev.actor())
                    .add("role", ev.role()).add("source", ev.source()).add("address", ev.address()).add("action", ev.action()).add("target", ev.target())
                    .add("before", JsonValues.of(ev.before())).add("after", JsonValues.of(ev.after())).add("result", ev.result()).add("detail", ev.detail()));
        }
        json(resp, Json.createObjectBuilder().add("last", audit.lastSequence()).add("entries", out).build());
    }

    // ------------------------------------------------------------------ server-sent events

    private void events(HttpServletRequest req, HttpServletResponse resp) throws Problem, IOException {
        if (streams.incrementAndGet() > MAX_EVENT_STREAMS) {
            streams.decrementAndGet();
            resp.setHeader("Retry-After", "10");
            throw new Problem(503, "busy", "at most " + MAX_EVENT_STREAMS + " event streams at once");
        }
        try {
            String asset = req.getParameter("asset");
            long after;
            String last = req.getHeader("Last-Event-ID");
            try {
                after = last == null || last.isBlank() ? feed.lastId() : Long.parseLong(last.strip());
            } catch (NumberFormatException e) {
                throw Problem.badField("Last-Event-ID", "'" + last + "' is not an event id of this gateway");
            }
            resp.setContentType("text/event-stream");
            resp.setCharacterEncoding("utf-8");
            resp.setHeader("X-Accel-Buffering", "no");
            Writer w = resp.getWriter();
            w.write("retry: 2000\n\n");
            String lastDevices = null;
            long keepAlive = System.nanoTime();
            while (true) {
                String snapshot = devicesJson();
                if (!snapshot.equals(lastDevices)) {
                    w.write("event: devices\ndata: " + snapshot + "\n\n");
                    lastDevices = snapshot;
                }
                List<LiveFeed.Event> events = feed.after(after, 1000);
                if (events == null) {
                    w.write("event: reset\nid: " + feed.lastId() + "\ndata: {\"reason\":\"events since " + after
                            + " are no longer held: reload from /api/v1/history\"}\n\n");
                    after = feed.lastId();
                } else {
                    for (LiveFeed.Event e : events) {
                        StringBuilder data = new StringBuilder("{");
                        e.byAsset().forEach((a, json) -> {
                            if (asset == null || asset.equals(a)) {
                                data.append(data.length() > 1 ? "," : "").append(io.millwright.rest.internal.Json.quote(a)).append(':').append(json);
                            }
                        });
                        // the id moves on even when the filter leaves nothing, so a resume starts after it
                        w.write("id: " + e.id() + "\n");
                        if (data.length() > 1) {
                            w.write("event: values\ndata: " + data.append('}') + "\n\n");
                        } else {
                            w.write(": nothing for this asset\n\n");
                        }
                        after = e.id();
                    }
                }
                if (System.nanoTime() - keepAlive > 15_000_000_000L) {
                    w.write(": keep-alive\n\n");
                    keepAlive = System.nanoTime();
                }
                w.flush();
                if (w instanceof java.io.PrintWriter pw && pw.checkError()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.decrementAndGet();
        }
    }

    private String devicesJson() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        new TreeMap<>(devices).values().forEach(d -> a.add(Json.createObjectBuilder().add("id", d.device().id())
                .add("state", d.device().status().state().name()).add("since", String.valueOf(d.device().status().since()))));
        return a.build().toString();
    }

    // ------------------------------------------------------------------ Swagger UI from its webjar

    private void docs(HttpServletResponse resp, String file) throws IOException {
        switch (file) {
            case "", "index.html" -> {
                resp.setContentType("text/html;charset=utf-8");
                resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
                resp.getOutputStream().write(("<!doctype html><html><head><meta charset=utf-8><title>Millwright API</title>"
                        + "<link rel=stylesheet href=swagger-ui.css></head><body><div id=swagger-ui></div>"
                        + "<script src=swagger-ui-bundle.js></script><script src=init.js></script></body></html>").getBytes(StandardCharsets.UTF_8));
            }
            case "init.js" -> {
                resp.setContentType("text/javascript");
                resp.getOutputStream().write("window.ui = SwaggerUIBundle({url: '/api/v1/openapi.json', dom_id: '#swagger-ui'});\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
            case "swagger-ui-bundle.js", "swagger-ui.css" -> {
                resp.setContentType(file.endsWith(".js") ? "text/javascript" : "text/css");
                resp.setHeader("Cache-Control", "public, max-age=86400");
                try (InputStream in = ApiServlet.class.getResourceAsStream(SWAGGER + file); OutputStream out = resp.getOutputStream()) {
                    in.transferTo(out);
                }
            }
            default -> resp.sendError(404);
        }
    }
}
