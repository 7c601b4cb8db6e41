package io.millwright.notify.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.Twin;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON of one alarm notification (contract: docs/mqtt.md, "alarm"): the event, the alarm as it stands, the asset
 * (where it sits, class, criticality), its health (RUL, urgency, the model's lineage) and the runbook, plus a
 * {@code workOrder} section a CMMS can take as a work-order request. {@code id} ({@code <gateway>:<sequence>}) is the
 * same on every delivery of the same event: receivers drop duplicates by it.
 */
final class Notification {

    private Notification() {
    }

    static byte[] json(String gateway, AlarmEvent e, Alarm alarm, Asset asset, Twin twin) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("v", 1).add("kind", "alarm").add("gateway", gateway)
                .add("id", gateway + ":" + e.sequence()).add("sequence", e.sequence()).add("time", Instant.ofEpochMilli(e.timeMs()).toString())
                .add("alarm", e.alarmId()).add("transition", e.transition().name()).add("from", e.from().name()).add("to", e.to().name())
                .add("priority", e.priority()).add("active", e.active()).add("value", e.value()).add("cause", e.cause());
        if (!e.actor().isEmpty()) {
            o.add("actor", e.actor());
        }
        if (!e.comment().isEmpty()) {
            o.add("comment", e.comment());
        }
        if (!e.correlationId().isEmpty()) {
            o.add("correlationId", e.correlationId());
        }
        JsonObjectBuilder a = Json.createObjectBuilder().add("id", e.asset()).add("site", e.context().site()).add("area", e.context().area())
                .add("line", e.context().line()).add("class", e.context().assetClass()).add("criticality", e.context().criticality());
        if (asset != null) {
            a.add("name", asset.name());
        }
        o.add("asset", a);
        String runbook = "";
        String link = "";
        if (alarm != null) {
            o.add("definition", alarm.definition().toText()).add("state", alarm.state().name());
            runbook = alarm.runbook().text();
            link = alarm.runbook().link();
        }
        o.add("runbook", Json.createObjectBuilder().add("text", runbook).add("link", link));
        String model = "";
        if (twin != null) {
            Twin.Health h = twin.health();
            JsonObjectBuilder health = Json.createObjectBuilder().add("operatingState", twin.operatingState().name()).add("urgency", h.urgency())
                    .add("model", h.model());
            if (Double.isFinite(h.rul())) {
                health.add("rul", h.rul()).add("rulUnit", h.rulUnit());
            }
            twin.reported().stream().filter(r -> r.tag().equals("lineage")).findFirst().ifPresent(r -> health.add("lineage", r.text()));
            o.add("health", health);
            model = h.model();
        }
        String title = "P" + e.priority() + " " + e.alarmId() + ": " + e.cause();
        o.add("workOrder", Json.createObjectBuilder().add("title", title.length() > 200 ? title.substring(0, 200) : title)
                .add("assetId", e.asset()).add("priority", e.priority())
                .add("description", e.cause() + (runbook.isEmpty() ? "" : "\nRunbook: " + runbook + (link.isEmpty() ? "" : " (" + link + ")"))
                        + (model.isEmpty() ? "" : "\nModel: " + model))
                .add("requestedBy", "millwright " + gateway).add("externalId", gateway + ":" + e.sequence()));
        return o.build().toString().getBytes(StandardCharsets.UTF_8);
    }
}
