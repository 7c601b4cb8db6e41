package io.millwright.identity.internal;

import io.millwright.identity.api.ApiToken;
import io.millwright.identity.api.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The identity store on disk, {@code <data>/identity/identity.db}: one line per user or token, tab-separated. The
 * gateway and {@code millwright-users} both change it: every change takes {@code identity.lock}, reads the newest
 * file, applies itself and replaces the file atomically. Readers see a change at their next check of the file's
 * modification time and size.
 */
final class IdentityFile {

    private static final String HEADER = "# Millwright identity store: users and API tokens, hashes only. Change it with millwright-users.";
    private final Path file;
    private final Path lockFile;
    private volatile Loaded loaded = new Loaded(IdentityRecords.empty(), null);

    private record Loaded(IdentityRecords records, Object stamp) {
    }

    IdentityFile(Path folder) {
        this.file = folder.resolve("identity.db");
        this.lockFile = folder.resolve("identity.lock");
    }

    Path path() {
        return file;
    }

    /** @return the newest content (re-read when the file changed since the last call) */
    IdentityRecords current() {
        Object stamp = stamp();
        Loaded l = loaded;
        if (l.stamp() == null ? stamp != null : !l.stamp().equals(stamp)) {
            synchronized (this) {
                l = loaded;
                if (l.stamp() == null ? stamp != null : !l.stamp().equals(stamp)) {
                    l = new Loaded(read(), stamp);
                    loaded = l;
                }
            }
        }
        return l.records();
    }

    /**
     * @param change from the newest content to the new content (may throw to refuse: nothing is written)
     * @return the new content
     */
    synchronized IdentityRecords update(UnaryOperator<IdentityRecords> change) {
        try {
            OwnerOnlyFiles.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    OwnerOnlyFiles.ownerOnly()); FileLock ignored = lock(ch)) {
                IdentityRecords next = change.apply(read());
                OwnerOnlyFiles.writeAtomically(file, render(next).getBytes(StandardCharsets.UTF_8));
                loaded = new Loaded(next, stamp());
                return next;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("identity store " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    private static FileLock lock(FileChannel ch) throws IOException {
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the identity store's lock", ie);
                }
            }
        }
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("identity store " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private IdentityRecords read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return IdentityRecords.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("identity store " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, IdentityRecords.User> users = new LinkedHashMap<>();
        Map<String, IdentityRecords.Token> tokens = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("user") && f.length == 6) {
                    users.put(f[1], new IdentityRecords.User(f[1], Role.parse(f[2]), f[3], Instant.parse(f[4]), Instant.parse(f[5])));
                } else if (f[0].equals("token") && f.length == 9) {
                    tokens.put(f[1], new IdentityRecords.Token(new ApiToken(f[1], f[2], Role.parse(f[3]), f[8], Instant.parse(f[5]),
                            Instant.parse(f[6]), f[7].equals("1")), f[4]));
                } else {
                    throw new IllegalArgumentException("not a user or token record");
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("identity store " + file + " line " + n + " is damaged (" + e.getMessage()
                        + "); restore it from a backup or remove the line with an editor", e);
            }
        }
        return new IdentityRecords(users, tokens);
    }

    private static String render(IdentityRecords r) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        r.users().values().stream().sorted(java.util.Comparator.comparing(IdentityRecords.User::name)).forEach(u -> b.append(
                String.join("\t", "user", u.name(), u.role().id(), u.passwordHash(), u.created().toString(),
                        u.passwordChanged().toString())).append('\n'));
        r.tokens().values().stream().sorted(java.util.Comparator.comparing(t -> t.token().id())).forEach(t -> {
            ApiToken k = t.token();
            b.append(String.join("\t", "token", k.id(), k.owner(), k.role().id(), t.secretSha256(), k.created().toString(),
                    k.expires().toString(), k.revoked() ? "1" : "0", k.description())).append('\n');
        });
        return b.toString();
    }
}
