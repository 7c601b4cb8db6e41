package io.millwright.identity.internal;

import io.millwright.identity.api.ApiToken;
import io.millwright.identity.api.Role;
import io.millwright.identity.api.UserAccount;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The identity store's content: users with their password hashes, tokens with the SHA-256 of their secrets.
 *
 * @param users by name
 * @param tokens by id
 */
record IdentityRecords(Map<String, User> users, Map<String, Token> tokens) {

    IdentityRecords {
        users = Map.copyOf(users);
        tokens = Map.copyOf(tokens);
    }

    /** A user and its password hash. */
    record User(String name, Role role, String passwordHash, Instant created, Instant passwordChanged) {
        UserAccount account() {
            return new UserAccount(name, role, created, passwordChanged);
        }
    }

    /** A token and the hex SHA-256 of its secret part. */
    record Token(ApiToken token, String secretSha256) {
    }

    static IdentityRecords empty() {
        return new IdentityRecords(Map.of(), Map.of());
    }

    long admins() {
        return users.values().stream().filter(u -> u.role() == Role.ADMIN).count();
    }

    List<UserAccount> accounts() {
        return users.values().stream().map(User::account).sorted(java.util.Comparator.comparing(UserAccount::name)).toList();
    }
}
