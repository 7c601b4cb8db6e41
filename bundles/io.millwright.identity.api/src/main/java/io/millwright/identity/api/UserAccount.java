package io.millwright.identity.api;

import java.time.Instant;

/**
 * A local user as listed (never with its password hash).
 *
 * @param name the login name
 * @param role what the user may do
 * @param created when the user was added
 * @param passwordChanged when its password was last set
 */
public record UserAccount(String name, Role role, Instant created, Instant passwordChanged) {
}
