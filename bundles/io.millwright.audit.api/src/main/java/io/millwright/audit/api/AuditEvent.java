package io.millwright.audit.api;

import java.util.Map;
import java.util.Objects;

/**
 * What happened, as the one who records it knows it.
 *
 * @param actor who acted: a user name, {@code token:<id>}, {@code etc-file}, {@code gateway}, or {@code anonymous}
 * @param role the actor's role, or empty when not authenticated
 * @param source the way in: {@code web}, {@code mqtt}, {@code etc}, {@code cli}, {@code gateway}
 * @param address where from: the client's address, the MQTT client, the file; empty when local
 * @param action what was done, dotted: {@code login}, {@code config.update}, {@code command.set-config},
 *        {@code user.add}, {@code token.revoke}, {@code model.switch}, …
 * @param target what it was done to: a PID, a user, a token id, a model
 * @param before the state before (secret values masked); empty when there was none
 * @param after the state after (secret values masked); empty when there is none
 * @param result {@link #OK}, {@link #REFUSED} or {@link #FAILED}
 * @param detail why (e.g. the reason of a refusal); empty when there is nothing to add
 */
public record AuditEvent(String actor, String role, String source, String address, String action, String target,
        Map<String, String> before, Map<String, String> after, String result, String detail) {

    /** done */
    public static final String OK = "ok";
    /** not allowed, or invalid: nothing changed */
    public static final String REFUSED = "refused";
    /** allowed but it did not work */
    public static final String FAILED = "failed";

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        role = role == null ? "" : role;
        source = Objects.requireNonNull(source, "source");
        address = address == null ? "" : address;
        Objects.requireNonNull(action, "action");
        target = target == null ? "" : target;
        before = before == null ? Map.of() : Map.copyOf(before);
        after = after == null ? Map.of() : Map.copyOf(after);
        Objects.requireNonNull(result, "result");
        detail = detail == null ? "" : detail;
    }

    /**
     * @param actor who
     * @param role its role, or empty
     * @param source the way in
     * @param address where from
     * @param action what
     * @param target on what
     * @param result {@link #OK}, {@link #REFUSED} or {@link #FAILED}
     * @param detail why, or empty
     * @return an event without before/after state
     */
    public static AuditEvent of(String actor, String role, String source, String address, String action, String target,
            String result, String detail) {
        return new AuditEvent(actor, role, source, address, action, target, Map.of(), Map.of(), result, detail);
    }
}
