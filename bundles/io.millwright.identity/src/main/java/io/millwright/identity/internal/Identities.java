package io.millwright.identity.internal;

import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.ApiToken;
import io.millwright.identity.api.IdentityService;
import io.millwright.identity.api.IssuedToken;
import io.millwright.identity.api.Role;
import io.millwright.identity.api.UserAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Users and tokens over the identity store, shared by the gateway's service and {@code millwright-users}. Every change
 * is authorised here (not only in the pages that call it) and audited, refused ones included.
 *
 * <p>Token text: {@code mwt_<id>_<secret>}, the id 12 hex digits, the secret 32 random bytes in Base64url; the store
 * keeps the SHA-256 of the secret (a secret of 256 random bits needs no slow hash), so a check costs one digest.
 * Successful password checks are remembered for a minute (keyed by a digest of name and password under a random
 * per-process key) so that scripts using HTTP Basic do not pay the KDF on every request.
 */
public final class Identities implements IdentityService {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("mwt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final Duration MAX_TOKEN_VALIDITY = Duration.ofDays(731);
    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdentityFile store;
    private final Supplier<AuditTrail> audit;
    private final Clock clock;
    private final byte[] cacheKey = new byte[32];
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Actor actor, Instant until, IdentityRecords records) {
    }

    /**
     * @param folder the identity folder ({@code <data>/identity})
     * @param audit where changes are recorded
     * @param clock the time
     */
    public Identities(Path folder, Supplier<AuditTrail> audit, Clock clock) {
        this.store = new IdentityFile(folder);
        this.audit = audit;
        this.clock = clock;
        RANDOM.nextBytes(cacheKey);
    }

    /** @return the store's file */
    public Path file() {
        return store.path();
    }

    @Override
    public Optional<Actor> authenticate(String user, char[] password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        IdentityRecords records = store.current();
        String key = rememberKey(user, password);
        Remembered r = remembered.get(key);
        Instant now = clock.instant();
        if (r != null && r.records() == records && now.isBefore(r.until())) {
            return Optional.of(r.actor());
        }
        IdentityRecords.User u = records.users().get(user);
        if (u == null) {
            PasswordHashing.spendTime(password);
            return Optional.empty();
        }
        if (!PasswordHashing.verify(password, u.passwordHash())) {
            return Optional.empty();
        }
        Actor actor = new Actor(u.name(), u.role(), Actor.Kind.USER, u.name());
        if (remembered.size() > 1000) {
            remembered.clear();
        }
        remembered.put(key, new Remembered(actor, now.plus(REMEMBER), records));
        return Optional.of(actor);
    }

    private String rememberKey(String user, char[] password) {
        MessageDigest sha = sha256();
        sha.update(cacheKey);
        sha.update(user.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(new String(password).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public Optional<Actor> authenticateToken(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        var m = TOKEN.matcher(secret.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        IdentityRecords records = store.current();
        IdentityRecords.Token t = records.tokens().get(m.group(1));
        if (t == null || !t.token().validAt(clock.instant())) {
            return Optional.empty();
        }
        byte[] given = sha256().digest(m.group(2).getBytes(StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(given, HexFormat.of().parseHex(t.secretSha256()))) {
            return Optional.empty();
        }
        IdentityRecords.User owner = records.users().get(t.token().owner());
        if (owner == null) {
            return Optional.empty();
        }
        // never more than the owner may do now
        Role role = owner.role().includes(t.token().role()) ? t.token().role() : owner.role();
        return Optional.of(new Actor("token:" + t.token().id(), role, Actor.Kind.TOKEN, owner.name()));
    }

    @Override
    public List<UserAccount> users() {
        return store.current().accounts();
    }

    @Override
    public List<ApiToken> tokens() {
        return store.current().tokens().values().stream().map(IdentityRecords.Token::token)
                .sorted(java.util.Comparator.comparing(ApiToken::id)).toList();
    }

    /** @return whether the store has no user yet (first start) */
    public boolean empty() {
        return store.current().users().isEmpty();
    }

    @Override
    public UserAccount addUser(Actor by, String name, Role role, char[] password) {
        return audited(by, "user.add", name, Map.of(), Map.of("role", String.valueOf(role)), () -> {
            requireAdmin(by);
            checkName(name);
            PasswordHashing.checkStrength(password);
            String hash = PasswordHashing.hash(password);
            Instant now = clock.instant();
            IdentityRecords.User user = new IdentityRecords.User(name, role, hash, now, now);
            store.update(r -> {
                if (r.users().containsKey(name)) {
                    throw new IllegalArgumentException("user '" + name + "' exists already");
                }
                Map<String, IdentityRecords.User> users = new HashMap<>(r.users());
                users.put(name, user);
                return new IdentityRecords(users, r.tokens());
            });
            return user.account();
        });
    }

    @Override
    public void setPassword(Actor by, String name, char[] password) {
        audited(by, "user.password", name, Map.of(), Map.of(), () -> {
            if (!by.may(Role.ADMIN) && !(by.kind() == Actor.Kind.USER && by.name().equals(name))) {
                throw new SecurityException(by.name() + " may only change its own password (admin changes others')");
            }
            PasswordHashing.checkStrength(password);
            String hash = PasswordHashing.hash(password);
            store.update(r -> {
                IdentityRecords.User u = existing(r, name);
                Map<String, IdentityRecords.User> users = new HashMap<>(r.users());
                users.put(name, new IdentityRecords.User(name, u.role(), hash, u.created(), clock.instant()));
                return new IdentityRecords(users, r.tokens());
            });
            return null;
        });
    }

    @Override
    public void setRole(Actor by, String name, Role role) {
        String before = Optional.ofNullable(store.current().users().get(name)).map(u -> u.role().id()).orElse("");
        audited(by, "user.role", name, Map.of("role", before), Map.of("role", String.valueOf(role)), () -> {
            requireAdmin(by);
            store.update(r -> {
                IdentityRecords.User u = existing(r, name);
                if (u.role() == Role.ADMIN && role != Role.ADMIN && r.admins() == 1) {
                    throw new IllegalArgumentException("'" + name + "' is the last admin: make another user admin first");
                }
                Map<String, IdentityRecords.User> users = new HashMap<>(r.users());
                users.put(name, new IdentityRecords.User(name, role, u.passwordHash(), u.created(), u.passwordChanged()));
                return new IdentityRecords(users, r.tokens());
            });
            return null;
        });
    }

    @Override
    public void removeUser(Actor by, String name) {
        audited(by, "user.remove", name, Map.of(), Map.of(), () -> {
            requireAdmin(by);
            store.update(r -> {
                IdentityRecords.User u = existing(r, name);
                if (u.role() == Role.ADMIN && r.admins() == 1) {
                    throw new IllegalArgumentException("'" + name + "' is the last admin and cannot be removed");
                }
                Map<String, IdentityRecords.User> users = new HashMap<>(r.users());
                users.remove(name);
                Map<String, IdentityRecords.Token> tokens = new HashMap<>();
                r.tokens().forEach((id, t) -> tokens.put(id, t.token().owner().equals(name) ? revoked(t) : t));
                return new IdentityRecords(users, tokens);
            });
            return null;
        });
    }

    @Override
    public IssuedToken issueToken(Actor by, String owner, Role role, Duration validity, String description) {
        String what = description == null ? "" : description.replaceAll("[\\t\\r\\n]", " ").strip();
        return audited(by, "token.issue", owner, Map.of(), Map.of("role", String.valueOf(role), "validity", String.valueOf(validity),
                "description", what), () -> {
                    requireAdmin(by);
                    if (validity == null || validity.isNegative() || validity.isZero() || validity.compareTo(MAX_TOKEN_VALIDITY) > 0) {
                        throw new IllegalArgumentException("token validity " + validity + " must be between 1 s and 731 days");
                    }
                    byte[] idBytes = new byte[6];
                    byte[] secretBytes = new byte[32];
                    RANDOM.nextBytes(idBytes);
                    RANDOM.nextBytes(secretBytes);
                    String id = HexFormat.of().formatHex(idBytes);
                    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
                    Instant now = clock.instant();
                    ApiToken token = new ApiToken(id, owner, role, what, now, now.plus(validity), false);
                    String digest = HexFormat.of().formatHex(sha256().digest(secret.getBytes(StandardCharsets.US_ASCII)));
                    store.update(r -> {
                        IdentityRecords.User u = existing(r, owner);
                        if (!u.role().includes(role)) {
                            throw new IllegalArgumentException("a token for '" + owner + "' (" + u.role().id()
                                    + ") cannot have role " + role.id());
                        }
                        Map<String, IdentityRecords.Token> tokens = new HashMap<>(r.tokens());
                        tokens.put(id, new IdentityRecords.Token(token, digest));
                        return new IdentityRecords(r.users(), tokens);
                    });
                    return new IssuedToken(token, "mwt_" + id + "_" + secret);
                });
    }

    @Override
    public void revokeToken(Actor by, String id) {
        audited(by, "token.revoke", id, Map.of(), Map.of(), () -> {
            requireAdmin(by);
            store.update(r -> {
                IdentityRecords.Token t = r.tokens().get(id);
                if (t == null) {
                    throw new IllegalArgumentException("no token '" + id + "'");
                }
                Map<String, IdentityRecords.Token> tokens = new HashMap<>(r.tokens());
                tokens.put(id, revoked(t));
                return new IdentityRecords(r.users(), tokens);
            });
            return null;
        });
    }

    private static IdentityRecords.Token revoked(IdentityRecords.Token t) {
        ApiToken k = t.token();
        return new IdentityRecords.Token(new ApiToken(k.id(), k.owner(), k.role(), k.description(), k.created(), k.expires(), true),
                t.secretSha256());
    }

    private static IdentityRecords.User existing(IdentityRecords r, String name) {
        IdentityRecords.User u = r.users().get(name);
        if (u == null) {
            throw new IllegalArgumentException("no user '" + name + "'");
        }
        return u;
    }

    private static void requireAdmin(Actor by) {
        if (!by.may(Role.ADMIN)) {
            throw new SecurityException(by.name() + " (" + by.role().id() + ") may not manage users and tokens: admin only");
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1-64 of a-z 0-9 . _ - (starting with a letter or digit)");
        }
    }

    private <T> T audited(Actor by, String action, String target, Map<String, String> before, Map<String, String> after,
            Supplier<T> work) {
        ActingAs.Who who = ActingAs.current().orElse(new ActingAs.Who(by.name(), by.role().id(),
                by.kind() == Actor.Kind.LOCAL ? "cli" : "gateway", ""));
        try {
            T result = work.get();
            audit.get().record(new AuditEvent(by.name(), by.role().id(), who.source(), who.address(), action, target, before, after,
                    AuditEvent.OK, ""));
            return result;
        } catch (SecurityException | IllegalArgumentException e) {
            audit.get().record(new AuditEvent(by.name(), by.role().id(), who.source(), who.address(), action, target, Map.of(),
                    Map.of(), AuditEvent.REFUSED, e.getMessage()));
            throw e;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
