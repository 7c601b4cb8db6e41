package io.millwright.rest.internal;

import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.WhatIf;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code POST /api/v1/assets/{id}/whatif}: scenarios run from the asset's twin, side by side with the baseline. Body:
 * {@code {"horizonHours": 720, "scenarios": [{"name": "faster", "setpoints": {"speed_setpoint": 1600}, "ambientC": 30,
 * "dutyCycle": 1}]}}.
 */
final class WhatIfResources {

    private WhatIfResources() {
    }

    static JsonValue run(WhatIf whatIf, String asset, JsonObject body) throws Problem {
        JsonValue h = body.get("horizonHours");
        if (!(h instanceof JsonNumber hn) || !(hn.doubleValue() > 0)) {
            throw Problem.badField("horizonHours", "'" + h + "' — expected a number of plant hours > 0");
        }
        List<Scenario> scenarios = new ArrayList<>();
        JsonValue list = body.get("scenarios");
        if (list != null && list.getValueType() != JsonValue.ValueType.ARRAY) {
            throw Problem.badField("scenarios", "expected an array of scenarios");
        }
        if (list != null) {
            int i = 0;
            for (JsonValue v : list.asJsonArray()) {
                if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                    throw Problem.badField("scenarios", "scenario " + i + " is not an object");
                }
                scenarios.add(scenario(v.asJsonObject(), i++));
            }
        }
        try {
            return JsonValues.of(whatIf.run(asset, scenarios, Duration.ofSeconds(Math.round(hn.doubleValue() * 3600))));
        } catch (NoSuchElementException e) {
            throw Problem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw new Problem(409, "conflict", e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            int colon = m.indexOf(": ");
            throw Problem.badField(colon > 0 && m.substring(0, colon).matches("[A-Za-z]+") ? m.substring(0, colon) : "scenarios", m);
        }
    }

    private static Scenario scenario(JsonObject o, int index) throws Problem {
        String name = o.getString("name", "scenario " + (index + 1));
        Map<String, Double> setpoints = new HashMap<>();
        JsonValue sp = o.get("setpoints");
        if (sp != null) {
            if (sp.getValueType() != JsonValue.ValueType.OBJECT) {
                throw Problem.badField("setpoints", "scenario '" + name + "': expected an object of tag → value");
            }
            for (Map.Entry<String, JsonValue> e : sp.asJsonObject().entrySet()) {
                if (!(e.getValue() instanceof JsonNumber n)) {
                    throw Problem.badField("setpoints", "scenario '" + name + "': " + e.getKey() + " = " + e.getValue() + " is not a number");
                }
                setpoints.put(e.getKey(), n.doubleValue());
            }
        }
        double ambient = o.get("ambientC") instanceof JsonNumber a ? a.doubleValue() : Double.NaN;
        double duty = o.get("dutyCycle") instanceof JsonNumber d ? d.doubleValue() : 1;
        try {
            return new Scenario(name, setpoints, ambient, duty);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(": ");
            throw Problem.badField(colon > 0 ? m.substring(0, colon) : "scenarios", "scenario '" + name + "': " + m);
        }
    }
}
