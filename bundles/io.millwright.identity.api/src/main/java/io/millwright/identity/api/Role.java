package io.millwright.identity.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The four roles, each including everything the ones before it may do: {@code viewer} reads; {@code operator}
 * acknowledges and shelves alarms and requests writes; {@code engineer} changes configuration and models and
 * approves writes; {@code admin} manages users and tokens, installs bundles and reaches the Felix Web Console.
 */
public enum Role {
    VIEWER, OPERATOR, ENGINEER, ADMIN;

    /**
     * @param required the least role an action needs
     * @return whether this role may do what {@code required} may do
     */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** @return the role's name as users type it: {@code viewer}, {@code operator}, {@code engineer}, {@code admin} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a role name as users type it (case does not matter)
     * @return the role
     * @throws IllegalArgumentException naming the value and the roles there are
     */
    public static Role parse(String id) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "': one of "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
