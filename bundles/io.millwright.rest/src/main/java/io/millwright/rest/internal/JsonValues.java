package io.millwright.rest.internal;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Records, lists, maps and plain values as JSON: the API's status documents are the service APIs' own records. */
final class JsonValues {

    private JsonValues() {
    }

    static JsonValue of(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof JsonValue j) {
            return j;
        }
        if (value instanceof String s) {
            return Json.createValue(s);
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Json.createValue(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? Json.createValue(d) : JsonValue.NULL;
        }
        if (value instanceof Instant || value instanceof Enum<?> || value instanceof CharSequence || value instanceof java.time.Duration
                || value instanceof io.millwright.api.ChannelId) {
            return Json.createValue(value.toString());
        }
        if (value instanceof Collection<?> c) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            c.forEach(x -> a.add(of(x)));
            return a.build();
        }
        if (value instanceof Map<?, ?> m) {
            JsonObjectBuilder o = Json.createObjectBuilder();
            m.forEach((k, v) -> o.add(String.valueOf(k), of(v)));
            return o.build();
        }
        if (value.getClass().isRecord()) {
            JsonObjectBuilder o = Json.createObjectBuilder();
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                try {
                    o.add(rc.getName(), of(rc.getAccessor().invoke(value)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + rc, e);
                }
            }
            return o.build();
        }
        return Json.createValue(value.toString());
    }
}
