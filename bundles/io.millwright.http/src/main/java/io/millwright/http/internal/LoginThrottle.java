package io.millwright.http.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address and user name (per address for tokens): 5 failures in a row are allowed, then one more per 12 seconds (a token bucket of
 * 5 refilled at 5 per minute); a client over it gets HTTP 429 with {@code Retry-After} and its password is not even
 * checked. Counts form logins, HTTP Basic and tokens alike. A success does not reset the bucket (so a valid account
 * cannot be used to keep guessing others).
 */
final class LoginThrottle {

    static final int BURST = 5;
    static final Duration REFILL = Duration.ofSeconds(12);
    private static final int MAX_CLIENTS = 10_000;

    private record Bucket(double tokens, Instant at) {
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param address the client's address
     * @param user the user name tried (empty for tokens)
     * @return the key of that budget
     */
    static String key(String address, String user) {
        return address + "|" + user;
    }

    /** @return seconds until the client may try again, 0 when it may now */
    long retryAfterSeconds(String client) {
        Bucket b = current(client);
        return b.tokens() >= 1 ? 0 : (long) Math.ceil((1 - b.tokens()) * REFILL.toMillis() / 1000.0);
    }

    void failed(String client) {
        Bucket b = current(client);
        if (buckets.size() > MAX_CLIENTS) {
            buckets.entrySet().removeIf(e -> e.getValue().tokens() >= BURST - 1);
        }
        buckets.put(client, new Bucket(Math.max(0, b.tokens() - 1), b.at()));
    }

    private Bucket current(String client) {
        Instant now = clock.instant();
        Bucket b = buckets.get(client);
        if (b == null) {
            return new Bucket(BURST, now);
        }
        double refilled = Math.min(BURST, b.tokens() + Duration.between(b.at(), now).toMillis() / (double) REFILL.toMillis());
        return new Bucket(refilled, now);
    }
}
