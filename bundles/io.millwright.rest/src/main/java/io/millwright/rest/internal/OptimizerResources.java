package io.millwright.rest.internal;

import io.millwright.identity.api.Actor;
import io.millwright.optimizer.api.Envelope;
import io.millwright.optimizer.api.Optimizers;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import java.util.NoSuchElementException;

/**
 * {@code /api/v1/optimizers} and {@code /api/v1/assets/{id}/optimizer}: the bounded closed loop's status, {@code
 * POST …/optimizer/enable} with the envelope (engineer) and {@code POST …/optimizer/stop}, the kill switch (operator).
 * The optimizer service audits both.
 */
final class OptimizerResources {

    private OptimizerResources() {
    }

    static JsonValue status(Optimizers optimizers, String asset) throws Problem {
        return JsonValues.of(optimizers.status(asset).orElseThrow(() -> Problem.notFound("no optimizer is configured for '" + asset + "'")));
    }

    static JsonValue act(Optimizers optimizers, String asset, String action, JsonObject body, Actor actor, HttpServletRequest req) throws Problem {
        try {
            return switch (action) {
                case "enable" -> JsonValues.of(optimizers.enable(asset, envelope(body), actor.name(), actor.role(), "web", req.getRemoteAddr()));
                case "stop" -> JsonValues.of(optimizers.stop(asset, body.getString("reason", ""), actor.name(), actor.role(), "web",
                        req.getRemoteAddr()));
                default -> throw Problem.notFound("no such action: " + action + " (an optimizer has enable and stop)");
            };
        } catch (SecurityException e) {
            throw new Problem(403, "forbidden", e.getMessage());
        } catch (NoSuchElementException e) {
            throw Problem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new Problem(409, "conflict", e.getMessage());
        }
    }

    /** The envelope from the body; unnamed attributes take the defaults of the configuration. */
    static Envelope envelope(JsonObject b) throws Problem {
        return new Envelope(b.getString("tag", Envelope.DEFAULT_TAG), number(b, "min", Double.NaN), number(b, "max", Double.NaN),
                number(b, "maxChangePerHour", Double.NaN), number(b, "rulTargetHours", Envelope.DEFAULT_RUL_TARGET_HOURS),
                (int) number(b, "periodSeconds", Envelope.DEFAULT_PERIOD_SECONDS),
                number(b, "temperatureToleranceC", Envelope.DEFAULT_TEMPERATURE_TOLERANCE_C),
                number(b, "vibrationTolerance", Envelope.DEFAULT_VIBRATION_TOLERANCE));
    }

    private static double number(JsonObject b, String name, double otherwise) throws Problem {
        JsonValue v = b.get(name);
        if (v == null || v == JsonValue.NULL) {
            if (Double.isNaN(otherwise)) {
                throw Problem.badField(name, "required: a number");
            }
            return otherwise;
        }
        if (!(v instanceof JsonNumber n)) {
            throw Problem.badField(name, "'" + v + "' — expected a number");
        }
        return n.doubleValue();
    }
}
