package io.millwright.uplink.mqtt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ids of the commands accepted within the age window, kept durably ({@code <data>/uplink/<gateway>.command-ids},
 * one {@code <epoch second> <id>} line per command, forced before the command runs), so that a command replayed after a
 * restart is refused too. Ids older than the window are forgotten: their commands are refused for their age anyway.
 * At most {@value #MAX} ids in a window; beyond that new commands are refused (a flood, not a plant's traffic).
 */
final class ReplayGuard {

    static final int MAX = 10_000;
    private final Path file;
    private final Duration window;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    ReplayGuard(Path file, Duration window, Instant now) {
        this.file = file;
        this.window = window;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    try {
                        seen.put(line.substring(space + 1), Instant.ofEpochSecond(Long.parseLong(line.substring(0, space))));
                    } catch (NumberFormatException e) {
                        // a line cut by a crash: its command never ran
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // first start
        } catch (IOException e) {
            throw new UncheckedIOException("command ids " + file + " cannot be read: " + e.getMessage(), e);
        }
        prune(now);
        rewrite();
    }

    /**
     * @param id a command's id
     * @param now the time
     * @return null when the id is new (it is now recorded durably), else why the command is refused
     */
    synchronized String accept(String id, Instant now) {
        prune(now);
        if (seen.containsKey(id)) {
            return "replayed: command id '" + id + "' was used at " + seen.get(id);
        }
        if (seen.size() >= MAX) {
            return "more than " + MAX + " commands within " + window.toSeconds() + " s";
        }
        seen.put(id, now);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(ByteBuffer.wrap((now.getEpochSecond() + " " + id + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
        } catch (IOException e) {
            seen.remove(id);
            return "the command id cannot be recorded (" + e.getMessage() + ")";
        }
        lines++;
        if (lines > 4L * seen.size()) {
            rewrite(); // mostly ids out of the window by now: keep the file small
        }
        return null;
    }

    /** lines in the file since it was last rewritten */
    private long lines;

    private void prune(Instant now) {
        seen.values().removeIf(t -> t.isBefore(now.minus(window)));
    }

    private void rewrite() {
        StringBuilder b = new StringBuilder();
        seen.forEach((id, t) -> b.append(t.getEpochSecond()).append(' ').append(id).append('\n'));
        try {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer bytes = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            lines = seen.size();
        } catch (IOException e) {
            throw new UncheckedIOException("command ids " + file + " cannot be written: " + e.getMessage(), e);
        }
    }
}
