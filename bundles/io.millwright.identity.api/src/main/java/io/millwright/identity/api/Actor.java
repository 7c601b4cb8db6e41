package io.millwright.identity.api;

import java.util.Objects;

/**
 * Someone or something acting through the gateway, once authenticated.
 *
 * @param name the user's name, or for a token {@code token:<id>} (its owner in {@code owner})
 * @param role what it may do
 * @param kind how it was authenticated
 * @param owner the user a token belongs to, or the user's own name
 */
public record Actor(String name, Role role, Kind kind, String owner) {

    /** How an actor proved who it is. */
    public enum Kind {
        /** a user name and password (form login or HTTP Basic) */
        USER,
        /** an API token */
        TOKEN,
        /** the gateway itself or a local administrator at the command line (files in the data folder) */
        LOCAL
    }

    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(owner, "owner");
    }

    /**
     * @param name what acts, e.g. {@code etc-file} or {@code cli:root}
     * @return an actor with every right that acts from the gateway's own machine (files, command line)
     */
    public static Actor local(String name) {
        return new Actor(name, Role.ADMIN, Kind.LOCAL, name);
    }

    /**
     * @param required the least role an action needs
     * @return whether this actor may do it
     */
    public boolean may(Role required) {
        return role.includes(required);
    }
}
