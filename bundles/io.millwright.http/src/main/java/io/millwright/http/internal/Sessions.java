package io.millwright.http.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in browsers: a session is 32 random bytes in a cookie ({@code __Host-mw-session}: Secure, HttpOnly,
 * SameSite=Strict), kept in memory only (a restart logs everyone out), ended by logout, after 30 minutes without a
 * request or after 12 hours. The role is looked up again on every request, so a role taken away takes effect at once.
 */
final class Sessions {

    static final String COOKIE = "__Host-mw-session";
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    private static final int MAX = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Session(String user, String address, Instant created, Instant lastSeen) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    String open(String user, String address) {
        Instant now = clock.instant();
        if (sessions.size() >= MAX) {
            sessions.entrySet().removeIf(e -> expired(e.getValue(), now));
            if (sessions.size() >= MAX) {
                sessions.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Session::lastSeen)))
                        .ifPresent(oldest -> sessions.remove(oldest.getKey()));
            }
        }
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(key, new Session(user, address, now, now));
        return key;
    }

    Optional<Session> touch(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(key);
            return Optional.empty();
        }
        Session touched = new Session(s.user(), s.address(), s.created(), now);
        sessions.put(key, touched);
        return Optional.of(touched);
    }

    void close(String key) {
        if (key != null) {
            sessions.remove(key);
        }
    }

    private static boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.created().plus(ABSOLUTE));
    }
}
