package io.millwright.audit.internal;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.api.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry as a line of the trail's file: a JSON object whose last member is {@code "hash"}, the SHA-256 of the
 * previous entry's hash, a newline, and the line's text up to (not including) {@code ,"hash":}. The hash covers the
 * exact bytes recorded, so no re-encoding can make a changed entry verify.
 */
public final class AuditLine {

    /** the previous hash of the first entry */
    public static final String GENESIS = "0".repeat(64);
    private static final String HASH_MEMBER = ",\"hash\":\"";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|passphrase|private|hmac|apikey|api\\.key|keystore|\\.key$|^key$).*");
    /** what a secret value is recorded as */
    public static final String MASK = "***";

    private AuditLine() {
    }

    /**
     * @param key a configuration key or similar
     * @return whether its value is a secret that must never be written to the trail
     */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /**
     * @param event the event, its before/after values masked where the key looks secret
     * @return the event as it may be written
     */
    public static AuditEvent masked(AuditEvent event) {
        Map<String, String> before = new LinkedHashMap<>(event.before());
        Map<String, String> after = new LinkedHashMap<>(event.after());
        for (String key : event.before().keySet()) {
            if (isSecretKey(key)) {
                before.put(key, MASK);
            }
        }
        for (Map.Entry<String, String> e : event.after().entrySet()) {
            if (isSecretKey(e.getKey())) {
                boolean changed = !e.getValue().equals(event.before().get(e.getKey()));
                after.put(e.getKey(), changed && event.before().containsKey(e.getKey()) ? MASK + " (changed)" : MASK);
            }
        }
        return new AuditEvent(event.actor(), event.role(), event.source(), event.address(), event.action(), event.target(),
                before, after, event.result(), event.detail());
    }

    /**
     * @param sequence the entry's sequence
     * @param time when
     * @param event what (already masked)
     * @param previousHash the hash of the entry before
     * @return the entry and its line (without the newline)
     */
    public static Encoded encode(long sequence, Instant time, AuditEvent event, String previousHash) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"seq\":").append(sequence).append(",\"time\":");
        JsonText.string(b, time.toString());
        member(b, "actor", event.actor());
        member(b, "role", event.role());
        member(b, "source", event.source());
        member(b, "address", event.address());
        member(b, "action", event.action());
        member(b, "target", event.target());
        b.append(",\"before\":");
        JsonText.object(b, event.before());
        b.append(",\"after\":");
        JsonText.object(b, event.after());
        member(b, "result", event.result());
        member(b, "detail", event.detail());
        member(b, "prev", previousHash);
        String hash = hash(previousHash, b.toString());
        b.append(HASH_MEMBER).append(hash).append("\"}");
        return new Encoded(new AuditEntry(sequence, time, event, previousHash, hash), b.toString());
    }

    private static void member(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        JsonText.string(b, value);
    }

    /**
     * @param line a line of the trail
     * @return the entry it records
     * @throws IllegalArgumentException when it is not an entry, naming what is wrong
     */
    @SuppressWarnings("unchecked")
    public static AuditEntry decode(String line) {
        Map<String, Object> m = JsonText.parse(line);
        try {
            AuditEvent event = new AuditEvent(text(m, "actor"), text(m, "role"), text(m, "source"), text(m, "address"),
                    text(m, "action"), text(m, "target"), (Map<String, String>) (Map<String, ?>) m.get("before"),
                    (Map<String, String>) (Map<String, ?>) m.get("after"), text(m, "result"), text(m, "detail"));
            return new AuditEntry((Long) m.get("seq"), Instant.parse(text(m, "time")), event, text(m, "prev"), text(m, "hash"));
        } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("not an audit entry: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("member '" + key + "' missing or not a string");
        }
        return s;
    }

    /**
     * @param line a line of the trail
     * @param previousHash the hash the entry before has
     * @return why the line does not chain, or null when it does
     */
    public static String check(String line, String previousHash) {
        int at = line.lastIndexOf(HASH_MEMBER);
        if (at < 0) {
            return "no hash";
        }
        AuditEntry entry;
        try {
            entry = decode(line);
        } catch (IllegalArgumentException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
        if (!entry.previousHash().equals(previousHash)) {
            return "its previous hash " + abbreviate(entry.previousHash()) + " is not the hash of the entry before ("
                    + abbreviate(previousHash) + ")";
        }
        if (!hash(previousHash, line.substring(0, at)).equals(entry.hash())) {
            return "its content does not match its hash (changed after it was written)";
        }
        return null;
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }

    /**
     * @param previousHash the hash before
     * @param text the text
     * @return hex SHA-256 of both
     */
    public static String hash(String previousHash, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * @param entry the entry
     * @param line its line
     */
    public record Encoded(AuditEntry entry, String line) {
    }
}
