package io.millwright.identity.api;

import java.time.Instant;

/**
 * An API token as listed: its secret is shown once, when it is issued, and kept only as a hash.
 *
 * @param id the token's public id (part of the token text)
 * @param owner the user it was issued for; the token never has more rights than its role
 * @param role what the token may do
 * @param description what it is for (e.g. {@code cloud backend}, {@code prometheus})
 * @param created when it was issued
 * @param expires when it stops working
 * @param revoked whether it was revoked
 */
public record ApiToken(String id, String owner, Role role, String description, Instant created, Instant expires, boolean revoked) {

    /**
     * @param now the current time
     * @return whether the token is accepted at {@code now}
     */
    public boolean validAt(Instant now) {
        return !revoked && now.isBefore(expires);
    }
}
