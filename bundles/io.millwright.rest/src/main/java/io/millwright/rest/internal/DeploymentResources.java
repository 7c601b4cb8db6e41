package io.millwright.rest.internal;

import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.deploy.api.DeploymentException;
import io.millwright.deploy.api.DeploymentPlan;
import io.millwright.deploy.api.DeploymentRequest;
import io.millwright.deploy.api.DeploymentRequests;
import io.millwright.deploy.api.Deployments;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.Role;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * {@code /api/v1/deployments} (list, {@code {id}} status; {@code POST} a deployment — with {@code "dryRun": true} only its
 * plan —, admin, audited) and {@code /api/v1/packages} (what the framework runs, what the agent deployed, what the
 * repositories offer; engineer).
 */
final class DeploymentResources {

    private DeploymentResources() {
    }

    static JsonValue list(Deployments d) {
        return JsonValues.of(d.list());
    }

    static JsonValue status(Deployments d, String id) throws Problem {
        return JsonValues.of(d.status(id).orElseThrow(() -> Problem.notFound("no deployment '" + id + "' (the last 50 are kept)")));
    }

    /** @return the plan (dry run) or the queued deployment's status */
    static JsonValue create(Deployments d, AuditTrail audit, JsonObject body, Actor actor, HttpServletRequest req) throws Problem {
        if (!actor.may(Role.ADMIN)) {
            audit.record(AuditEvent.of(actor.name(), actor.role().id(), "web", req.getRemoteAddr(), "deploy.submit", "", AuditEvent.REFUSED,
                    "needs the role admin"));
            throw Problem.forbidden(actor.name() + " (" + actor.role().id() + ") may not deploy: needs admin");
        }
        DeploymentRequest request = DeploymentRequests.fromJson(body);
        if (body.getBoolean("dryRun", false)) {
            try {
                DeploymentPlan plan = d.plan(request);
                audit.record(new AuditEvent(actor.name(), actor.role().id(), "web", req.getRemoteAddr(), "deploy.dry-run", request.repository(),
                        Map.of(), Map.of("install", String.join(", ", plan.install()), "update", String.join(", ", plan.update())), AuditEvent.OK, ""));
                return JsonValues.of(plan);
            } catch (DeploymentException e) {
                audit.record(AuditEvent.of(actor.name(), actor.role().id(), "web", req.getRemoteAddr(), "deploy.dry-run", request.repository(),
                        AuditEvent.REFUSED, e.getMessage()));
                throw new Problem(422, "cannot deploy", e.getMessage());
            }
        }
        return JsonValues.of(d.submit(request, actor.name(), actor.role().id(), "web", req.getRemoteAddr()));
    }

    static JsonValue packages(Deployments d, BundleContext context) {
        JsonArrayBuilder bundles = Json.createArrayBuilder();
        for (Bundle b : context.getBundles()) {
            bundles.add(Json.createObjectBuilder().add("id", b.getBundleId()).add("name", String.valueOf(b.getSymbolicName()))
                    .add("version", b.getVersion().toString()).add("state", state(b)).add("deployed", b.getLocation().startsWith("millwright-deploy:")));
        }
        return Json.createObjectBuilder().add("bundles", bundles).add("deployed", JsonValues.of(d.deployed()))
                .add("repositories", JsonValues.of(d.repositories())).build();
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }
}
