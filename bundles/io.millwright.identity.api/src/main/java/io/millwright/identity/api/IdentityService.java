package io.millwright.identity.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's users and API tokens. Passwords and token secrets are kept only as hashes. Every change is
 * authorised ({@link Role#ADMIN}, or the user changing its own password) and audited; a refused change throws
 * {@link SecurityException} naming what was missing, bad input {@link IllegalArgumentException} naming the value.
 */
@ProviderType
public interface IdentityService {

    /**
     * Checks a user name and password (a password check costs on purpose: a salted, iterated KDF).
     *
     * @param user the login name
     * @param password the password (not kept)
     * @return the user as an actor, or empty when the name or the password is wrong (which one is not said)
     */
    Optional<Actor> authenticate(String user, char[] password);

    /**
     * Checks an API token (cheap: a hash lookup).
     *
     * @param secret the token text as issued
     * @return the token as an actor, or empty when it is unknown, revoked or expired
     */
    Optional<Actor> authenticateToken(String secret);

    /** @return the users, by name */
    List<UserAccount> users();

    /** @return the tokens issued (revoked and expired ones included), by id */
    List<ApiToken> tokens();

    /**
     * @param by who asks (admin)
     * @param name the new user's login name ({@code [a-z0-9][a-z0-9._-]{0,63}})
     * @param role its role
     * @param password its password (at least 12 characters)
     * @return the user
     */
    UserAccount addUser(Actor by, String name, Role role, char[] password);

    /**
     * @param by who asks (admin, or the user itself)
     * @param name the user
     * @param password the new password (at least 12 characters)
     */
    void setPassword(Actor by, String name, char[] password);

    /**
     * @param by who asks (admin)
     * @param name the user
     * @param role the new role (the last admin cannot lose it)
     */
    void setRole(Actor by, String name, Role role);

    /**
     * Removes a user and revokes its tokens (the last admin cannot be removed).
     *
     * @param by who asks (admin)
     * @param name the user
     */
    void removeUser(Actor by, String name);

    /**
     * @param by who asks (admin)
     * @param owner the user the token acts for
     * @param role its role, at most the owner's
     * @param validity how long it works (at most 2 years)
     * @param description what it is for
     * @return the token, with its secret shown this once
     */
    IssuedToken issueToken(Actor by, String owner, Role role, Duration validity, String description);

    /**
     * @param by who asks (admin)
     * @param id the token's id
     */
    void revokeToken(Actor by, String id);
}
