package io.millwright.rest.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.Alarms;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Twin;
import io.millwright.asset.api.Twins;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.Role;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The asset model, twins and alarms in the REST API: {@code /asset-model}, {@code /assets/{id}/twin},
 * {@code /assets/{id}/maintenance}, {@code /alarms} (list with filters, {@code /events}, {@code /kpis}) and the actions
 * on one alarm ({@code /alarms/{asset}/{name}/acknowledge|shelve|unshelve|comment|remove-from-service|return-to-service}).
 * Operators act on alarms and maintenance; taking an alarm out of service is an engineer's. The services do the audit.
 */
final class AlarmResources {

    private AlarmResources() {
    }

    // ---------------------------------------------------------------- asset model

    static JsonValue model(AssetModel model) {
        Map<String, Map<String, Map<String, List<Asset>>>> tree = new TreeMap<>();
        for (Asset a : model.assets()) {
            tree.computeIfAbsent(a.site(), k -> new TreeMap<>()).computeIfAbsent(a.area(), k -> new TreeMap<>())
                    .computeIfAbsent(a.line(), k -> new ArrayList<>()).add(a);
        }
        JsonArrayBuilder sites = Json.createArrayBuilder();
        tree.forEach((site, areas) -> {
            JsonArrayBuilder as = Json.createArrayBuilder();
            areas.forEach((area, lines) -> {
                JsonArrayBuilder ls = Json.createArrayBuilder();
                lines.forEach((line, assets) -> {
                    JsonArrayBuilder ids = Json.createArrayBuilder();
                    assets.forEach(a -> ids.add(a.id()));
                    ls.add(Json.createObjectBuilder().add("line", line).add("assets", ids));
                });
                as.add(Json.createObjectBuilder().add("area", area).add("lines", ls));
            });
            sites.add(Json.createObjectBuilder().add("site", site).add("areas", as));
        });
        JsonArrayBuilder assets = Json.createArrayBuilder();
        model.assets().forEach(a -> assets.add(asset(a, model)));
        return Json.createObjectBuilder().add("hierarchy", sites).add("assets", assets).add("classes", JsonValues.of(model.classes()))
                .add("problems", JsonValues.of(model.problems())).add("revision", model.revision()).build();
    }

    static JsonObject asset(Asset a, AssetModel model) {
        JsonArrayBuilder tags = Json.createArrayBuilder();
        for (AssetTag t : a.tags()) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("name", t.name()).add("source", t.source().toString()).add("unit", t.unit())
                    .add("deviceUnit", t.deviceUnit()).add("scale", JsonValues.of(t.scale())).add("offset", JsonValues.of(t.offset()))
                    .add("min", JsonValues.of(t.min())).add("max", JsonValues.of(t.max())).add("expectedIntervalMs", t.expectedIntervalMs())
                    .add("component", t.component()).add("writable", t.writable());
            model.provenance(t.source()).ifPresent(p -> o.add("provenance", JsonValues.of(p)));
            tags.add(o);
        }
        JsonArrayBuilder alarms = Json.createArrayBuilder();
        a.alarms().forEach(d -> alarms.add(d.toText()));
        return Json.createObjectBuilder().add("id", a.id()).add("name", a.name()).add("site", a.site()).add("area", a.area())
                .add("line", a.line()).add("assetClass", a.assetClass()).add("criticality", a.criticality().name())
                .add("components", JsonValues.of(a.components())).add("lastMaintenance", a.lastMaintenance()).add("tags", tags)
                .add("alarms", alarms).build();
    }

    static JsonValue twin(Twins twins, String asset) throws Problem {
        Twin t = twins.twin(asset).orElseThrow(() -> Problem.notFound("no asset " + asset + " in the asset model"));
        return JsonValues.of(t);
    }

    /** @return per asset: operating state, since, urgency and annunciated alarms per priority (for trees and overviews) */
    static JsonValue twinSummaries(Twins twins) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (Twin t : twins.twins()) {
            out.add(Json.createObjectBuilder().add("asset", t.asset()).add("operatingState", t.operatingState().name())
                    .add("operatingSinceMs", t.operatingSinceMs()).add("urgency", t.health().urgency())
                    .add("activeAlarms", JsonValues.of(t.health().activeAlarms())).add("inMaintenance", t.maintenance() != null));
        }
        return out.build();
    }

    static JsonValue maintenance(Twins twins, String asset, JsonObject body, Actor actor) throws Problem {
        String action = body.getString("action", "");
        String note = body.getString("note", "");
        return call(() -> switch (action) {
            case "start" -> JsonValues.of(twins.startMaintenance(asset, actor.name(), note));
            case "end" -> JsonValues.of(twins.endMaintenance(asset, actor.name(), note));
            default -> throw new IllegalArgumentException("action: '" + action + "' — expected start or end");
        });
    }

    // ---------------------------------------------------------------- alarms

    static JsonValue list(Alarms alarms, HttpServletRequest req) {
        Predicate<Alarm> keep = filter(req);
        List<Alarm> out = alarms.alarms().stream().filter(keep).sorted((a, b) -> {
            int c = Boolean.compare(b.state().isAnnunciated(), a.state().isAnnunciated());
            if (c == 0) {
                c = Integer.compare(a.priority(), b.priority());
            }
            return c != 0 ? c : Long.compare(b.stateSinceMs(), a.stateSinceMs());
        }).toList();
        return JsonValues.of(out);
    }

    private static Predicate<Alarm> filter(HttpServletRequest req) {
        Predicate<Alarm> p = a -> true;
        String state = req.getParameter("state");
        if (state != null && !state.isBlank()) {
            List<AlarmState> states = new ArrayList<>();
            for (String s : state.split(",")) {
                String key = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                if (key.equals("ACTIVE")) {
                    p = p.and(a -> a.active());
                    continue;
                }
                if (key.equals("ANNUNCIATED")) {
                    states.add(AlarmState.UNACKNOWLEDGED);
                    states.add(AlarmState.ACKNOWLEDGED);
                    states.add(AlarmState.RTN_UNACKNOWLEDGED);
                    continue;
                }
                try {
                    states.add(AlarmState.valueOf(key));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("state: '" + s + "' — expected annunciated, active or some of "
                            + java.util.Arrays.toString(AlarmState.values()));
                }
            }
            if (!states.isEmpty()) {
                p = p.and(a -> states.contains(a.state()));
            }
        }
        String priority = req.getParameter("priority");
        if (priority != null && !priority.isBlank()) {
            List<Integer> ps = new ArrayList<>();
            for (String s : priority.split(",")) {
                try {
                    int n = Integer.parseInt(s.trim());
                    if (n < 1 || n > 4) {
                        throw new NumberFormatException();
                    }
                    ps.add(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("priority: '" + s + "' — expected 1 to 4");
                }
            }
            p = p.and(a -> ps.contains(a.priority()));
        }
        for (String field : new String[] {"area", "line", "site", "asset", "assetClass", "criticality"}) {
            String v = req.getParameter(field);
            if (v != null && !v.isBlank()) {
                p = p.and(a -> v.equals(switch (field) {
                    case "area" -> a.context().area();
                    case "line" -> a.context().line();
                    case "site" -> a.context().site();
                    case "asset" -> a.asset();
                    case "assetClass" -> a.context().assetClass();
                    default -> a.context().criticality();
                }));
            }
        }
        return p;
    }

    static JsonValue events(Alarms alarms, HttpServletRequest req) {
        long after = longParam(req, "after", -1);
        int max = (int) Math.min(longParam(req, "max", 200), 10_000);
        String alarm = req.getParameter("alarm");
        String asset = req.getParameter("asset");
        long from = timeParam(req, "from", Long.MIN_VALUE);
        long to = timeParam(req, "to", Long.MAX_VALUE);
        List<AlarmEvent> out = new ArrayList<>();
        if (after >= 0) {
            for (AlarmEvent e : alarms.events(after, max)) {
                if (matches(e, alarm, asset, from, to)) {
                    out.add(e);
                }
            }
        } else {
            // newest first: read back from the end in pages until max events match
            long end = alarms.lastSequence();
            while (end > 0 && out.size() < max) {
                long start = Math.max(0, end - 1000);
                List<AlarmEvent> page = alarms.events(start, (int) (end - start));
                for (int i = page.size() - 1; i >= 0 && out.size() < max; i--) {
                    AlarmEvent e = page.get(i);
                    if (matches(e, alarm, asset, from, to)) {
                        out.add(e);
                    }
                }
                if (!page.isEmpty() && page.get(0).timeMs() < from) {
                    break;
                }
                end = start;
            }
        }
        return Json.createObjectBuilder().add("lastSequence", alarms.lastSequence()).add("events", JsonValues.of(out)).build();
    }

    private static boolean matches(AlarmEvent e, String alarm, String asset, long from, long to) {
        return (alarm == null || alarm.isBlank() || e.alarmId().equals(alarm)) && (asset == null || asset.isBlank() || e.asset().equals(asset))
                && e.timeMs() >= from && e.timeMs() < to;
    }

    static JsonValue kpis(Alarms alarms, HttpServletRequest req) {
        long now = System.currentTimeMillis();
        long from = timeParam(req, "from", now - 24 * 3_600_000L);
        long to = timeParam(req, "to", now);
        int operators = (int) longParam(req, "operators", 1);
        return JsonValues.of(alarms.kpis(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), operators));
    }

    static JsonValue act(Alarms alarms, String id, String action, JsonObject body, Actor actor) throws Problem {
        String comment = body.getString("comment", "");
        String reason = body.getString("reason", comment);
        if (action.equals("remove-from-service") || action.equals("return-to-service")) {
            need(actor, Role.ENGINEER, action.replace('-', ' ') + " an alarm");
        } else {
            need(actor, Role.OPERATOR, action + " an alarm");
        }
        return call(() -> JsonValues.of(switch (action) {
            case "acknowledge" -> alarms.acknowledge(id, actor.name(), comment);
            case "shelve" -> alarms.shelve(id, actor.name(), reason, until(body));
            case "unshelve" -> alarms.unshelve(id, actor.name(), comment);
            case "comment" -> alarms.comment(id, actor.name(), comment);
            case "remove-from-service" -> alarms.removeFromService(id, actor.name(), reason);
            case "return-to-service" -> alarms.returnToService(id, actor.name(), comment);
            default -> throw new NoSuchElementException("no action '" + action + "' on an alarm: expected acknowledge, shelve, unshelve, "
                    + "comment, remove-from-service or return-to-service");
        }));
    }

    private static Instant until(JsonObject body) {
        if (body.containsKey("until")) {
            try {
                return Instant.parse(body.getString("until"));
            } catch (DateTimeParseException | ClassCastException e) {
                throw new IllegalArgumentException("until: '" + body.get("until") + "' — expected an ISO-8601 instant, e.g. 2026-12-01T06:00:00Z");
            }
        }
        if (body.containsKey("minutes")) {
            try {
                return Instant.now().plus(Duration.ofMinutes(body.getJsonNumber("minutes").longValueExact()));
            } catch (ArithmeticException | ClassCastException e) {
                throw new IllegalArgumentException("minutes: '" + body.get("minutes") + "' — expected a whole number of minutes");
            }
        }
        throw new IllegalArgumentException("until: missing — give 'until' (an instant) or 'minutes'");
    }

    static void need(Actor actor, Role role, String what) throws Problem {
        if (!actor.may(role)) {
            throw Problem.forbidden(actor.name() + " (" + actor.role().id() + ") may not " + what + ": needs " + role.id());
        }
    }

    interface Call {
        JsonValue run();
    }

    /** Maps the services' exceptions to problems: unknown → 404, not allowed in this state → 409, bad input → 400. */
    static JsonValue call(Call c) throws Problem {
        try {
            return c.run();
        } catch (NoSuchElementException e) {
            throw Problem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new Problem(409, "conflict", e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            int colon = m.indexOf(": ");
            String field = colon > 0 ? m.substring(0, colon) : "request";
            if (!field.matches("[A-Za-z]+")) {
                field = m.contains("until") ? "until" : m.contains("reason") ? "reason" : m.contains("comment") ? "comment" : m.contains("note")
                        ? "note" : "request";
            }
            throw Problem.badField(field, m);
        }
    }

    private static long longParam(HttpServletRequest req, String name, long otherwise) {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' — expected a whole number");
        }
    }

    private static long timeParam(HttpServletRequest req, String name, long otherwise) {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(v.trim()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' — expected an ISO-8601 instant, e.g. 2026-11-30T08:00:00Z");
        }
    }
}
