package io.millwright.rest.internal;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An error answered as RFC 9457 problem details ({@code application/problem+json}): {@code type}, {@code title},
 * {@code status}, {@code detail}, and for invalid input {@code errors}, each naming the field and what is wrong.
 */
final class Problem extends Exception {

    private static final long serialVersionUID = 1L;

    /** One invalid field. */
    record FieldError(String field, String message) {
    }

    final int status;
    final String title;
    final transient List<FieldError> errors;

    Problem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    Problem(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    static Problem badField(String field, String message) {
        return new Problem(400, "invalid request", field + ": " + message, List.of(new FieldError(field, message)));
    }

    static Problem notFound(String what) {
        return new Problem(404, "not found", what);
    }

    static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", detail);
    }

    void send(HttpServletResponse resp) throws IOException {
        JsonObjectBuilder o = Json.createObjectBuilder().add("type", "https://millwright.io/problems/" + title.replace(' ', '-'))
                .add("title", title).add("status", status).add("detail", getMessage());
        if (!errors.isEmpty()) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            errors.forEach(e -> a.add(Json.createObjectBuilder().add("field", e.field()).add("message", e.message())));
            o.add("errors", a);
        }
        resp.setStatus(status);
        resp.setContentType("application/problem+json");
        resp.setCharacterEncoding("utf-8");
        resp.getOutputStream().write(o.build().toString().getBytes(StandardCharsets.UTF_8));
    }
}
