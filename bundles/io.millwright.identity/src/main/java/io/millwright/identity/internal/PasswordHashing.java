package io.millwright.identity.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Passwords as PBKDF2-HMAC-SHA256 hashes (the JDK's implementation), 600,000 iterations (OWASP's 2023 figure; the
 * issue's floor is 310,000), a 16-byte random salt per password, 256-bit output. Stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64), so the iteration count can rise without breaking stored
 * hashes. Measured on this machine: about 0.2 s per check once the JIT has warmed up (docs/benchmarks.md).
 */
public final class PasswordHashing {

    /** the iterations of new hashes */
    public static final int ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashing() {
    }

    /**
     * @param password the password
     * @return its stored form
     */
    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /**
     * @param password the password given
     * @param stored a stored form from {@link #hash}
     * @return whether they match (compared in constant time)
     */
    public static boolean verify(char[] password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time a real check takes (for unknown users, so that timing does not tell which names exist). */
    public static void spendTime(char[] password) {
        derive(password, new byte[16], ITERATIONS);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        KeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        } finally {
            ((PBEKeySpec) spec).clearPassword();
        }
    }

    /**
     * @param password a password
     * @throws IllegalArgumentException when it is too short
     */
    public static void checkStrength(char[] password) {
        if (password == null || password.length < 12) {
            throw new IllegalArgumentException("a password needs at least 12 characters (got "
                    + (password == null ? 0 : password.length) + ")");
        }
        if (new String(password).isBlank()) {
            throw new IllegalArgumentException("a password cannot be only spaces");
        }
    }
}
