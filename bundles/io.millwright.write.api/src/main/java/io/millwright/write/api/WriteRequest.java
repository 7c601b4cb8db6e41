package io.millwright.write.api;

import io.millwright.identity.api.Role;
import java.util.Objects;

/**
 * A request to write a value to a writable tag.
 *
 * @param asset the asset
 * @param tag the writable tag
 * @param value the value, in the tag's canonical unit
 * @param actor who asks: a user, {@code token:<id>}, or a component's own identity such as {@code optimizer:pump-1}
 * @param person the person behind the actor (a token's owner; the actor itself for a user or a component): the
 *        two-person rule compares persons
 * @param role the actor's role
 * @param source the way in: {@code web}, {@code mqtt}, {@code gateway}
 * @param address where from, or empty
 * @param dryRun check every rule and report, but write nothing
 * @param reason why, for the audit trail (may be empty)
 */
public record WriteRequest(String asset, String tag, double value, String actor, String person, Role role, String source, String address,
        boolean dryRun, String reason) {

    /** Requires asset, tag, actor, role and source. */
    public WriteRequest {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(actor, "actor");
        person = person == null || person.isBlank() ? actor : person;
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(source, "source");
        address = address == null ? "" : address;
        reason = reason == null ? "" : reason.trim();
    }
}
