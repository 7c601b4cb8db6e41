package io.millwright.http.internal;

import io.millwright.identity.api.Role;

/**
 * Which role a path needs. Deny by default: everything needs a login except the login page itself; the Felix Web
 * Console needs {@code admin}; pages and JSON of the gateway need at least {@code viewer} (their actions check their
 * own, higher roles).
 */
final class AccessPolicy {

    private AccessPolicy() {
    }

    /** @return true when the path is served without a login */
    static boolean isPublic(String path) {
        return path.equals("/login") || path.equals("/favicon.ico");
    }

    /** @return the least role the path needs */
    static Role required(String path) {
        if (path.equals("/system") || path.startsWith("/system/console")) {
            return Role.ADMIN;
        }
        return Role.VIEWER;
    }
}
