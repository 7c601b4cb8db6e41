package io.millwright.identity.internal;

import io.millwright.identity.api.Actor;
import io.millwright.identity.api.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The first start's administrator: user {@code admin} with a random password written to
 * {@code <data>/initial-admin-password} (mode 0600). Only the file's path is ever printed or logged. The file is
 * removed when the admin's password is changed with {@code millwright-users passwd admin}.
 */
public final class InitialAdmin {

    /** the user the first start creates */
    public static final String NAME = "admin";
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private InitialAdmin() {
    }

    /**
     * @param data the data folder
     * @return the file the initial password is written to
     */
    public static Path passwordFile(Path data) {
        return data.resolve("initial-admin-password");
    }

    /**
     * @param identities the store
     * @param data the data folder
     * @return the password file when the admin was created now; null when there were users already
     * @throws IOException when the password file cannot be written (then no user is created)
     */
    public static Path createIfNoUsers(Identities identities, Path data) throws IOException {
        if (!identities.empty()) {
            return null;
        }
        char[] password = generate(24);
        Path file = passwordFile(data);
        OwnerOnlyFiles.writeAtomically(file, (new String(password) + "\n").getBytes(StandardCharsets.UTF_8));
        identities.addUser(Actor.local("gateway"), NAME, Role.ADMIN, password);
        return file;
    }

    /**
     * @param length characters
     * @return a random password from letters and digits that cannot be mistaken for each other
     */
    public static char[] generate(int length) {
        char[] p = new char[length];
        for (int i = 0; i < length; i++) {
            p[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return p;
    }

    /**
     * @param data the data folder
     * @throws IOException when the file exists and cannot be removed
     */
    public static void forget(Path data) throws IOException {
        Files.deleteIfExists(passwordFile(data));
    }
}
