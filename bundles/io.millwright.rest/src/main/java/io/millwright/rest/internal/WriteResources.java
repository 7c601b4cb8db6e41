package io.millwright.rest.internal;

import io.millwright.identity.api.Actor;
import io.millwright.write.api.WriteGuard;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.write.api.WriteStatus;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * {@code /api/v1/assets/{id}/tags/{tag}/write}, {@code /api/v1/writes} and {@code /api/v1/write-policies}: setpoint
 * writes through the write guard. The answer is the write's record (problem details carrying it for 4xx/5xx); its
 * HTTP status says what became of it: 200
 * confirmed by read-back (or a dry run that passed), 202 awaiting approval (or still awaiting the read-back), 400 out
 * of bounds, 403 the role or the two-person rule, 409 another rule (named in {@code rule}), 502 the device refused or
 * reported another value.
 */
final class WriteResources {

    private WriteResources() {
    }

    /** The HTTP status for a write's record. */
    static int status(WriteRecord r) {
        return switch (r.status()) {
            case CONFIRMED, CHECKED, REJECTED, EXPIRED -> 200;
            case AWAITING_APPROVAL, PENDING -> 202;
            case REFUSED -> r.rule().equals("bounds") ? 400 : r.rule().equals("role") ? 403 : 409;
            case FAILED, MISMATCH -> 502;
        };
    }

    static WriteRecord write(WriteGuard guard, String asset, String tag, JsonObject body, Actor actor, HttpServletRequest req)
            throws Problem, InterruptedException {
        JsonValue v = body.get("value");
        if (!(v instanceof JsonNumber n)) {
            throw Problem.badField("value", "'" + v + "' — expected a number in the tag's unit");
        }
        boolean dryRun = body.getBoolean("dryRun", false);
        WriteRecord r = guard.submit(new WriteRequest(asset, tag, n.doubleValue(), actor.name(), actor.owner(), actor.role(), "web", req.getRemoteAddr(),
                dryRun, body.getString("reason", "")));
        return settle(guard, r);
    }

    /** Waits for the read-back of a write just sent, as long as its policy allows plus a second. */
    static WriteRecord settle(WriteGuard guard, WriteRecord r) throws InterruptedException {
        if (r.status() != WriteStatus.PENDING) {
            return r;
        }
        Duration timeout = guard.policies().stream().filter(p -> p.target().equals(r.target())).map(WritePolicy::readBackTimeout).findFirst()
                .orElse(Duration.ofSeconds(10)).plusSeconds(1);
        return guard.await(r.id(), timeout);
    }

    static WriteRecord act(WriteGuard guard, String id, String action, JsonObject body, Actor actor) throws Problem, InterruptedException {
        String comment = body.getString("comment", "");
        try {
            return switch (action) {
                case "approve" -> settle(guard, guard.approve(id, actor.name(), actor.owner(), actor.role(), comment));
                case "reject" -> guard.reject(id, actor.name(), actor.owner(), actor.role(), comment);
                default -> throw Problem.notFound("no action '" + action + "' on a write: expected approve or reject");
            };
        } catch (NoSuchElementException e) {
            throw Problem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new Problem(409, "conflict", e.getMessage());
        } catch (SecurityException e) {
            throw Problem.forbidden(e.getMessage());
        }
    }

    static JsonValue policies(WriteGuard guard) {
        return Json.createObjectBuilder().add("policies", JsonValues.of(guard.policies())).add("problems", JsonValues.of(guard.problems()))
                .build();
    }

    /**
     * A write that went through is answered with its record; one that did not with problem details (RFC 9457) whose
     * extension members carry the refusing {@code rule} and the {@code write} record.
     */
    static void send(HttpServletResponse resp, WriteRecord r) throws java.io.IOException {
        int status = status(r);
        resp.setStatus(status);
        JsonValue body;
        if (status < 400) {
            resp.setContentType("application/json");
            body = JsonValues.of(r);
        } else {
            resp.setContentType("application/problem+json");
            String kind = r.status() == WriteStatus.REFUSED ? "write-refused" : "write-failed";
            body = Json.createObjectBuilder().add("type", "https://millwright.io/problems/" + kind)
                    .add("title", r.status() == WriteStatus.REFUSED ? "write refused" : "write not confirmed").add("status", status)
                    .add("detail", r.message()).add("rule", r.rule()).add("write", JsonValues.of(r)).build();
        }
        resp.getOutputStream().write(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
