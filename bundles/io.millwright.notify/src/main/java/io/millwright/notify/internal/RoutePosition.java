package io.millwright.notify.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A route's durable place in the alarm log: the sequence of the last event it handled, in
 * {@code <data>/notify/<route>.position}, replaced atomically and forced to disk on every move, so that a crash re-sends
 * at most the event in flight.
 */
final class RoutePosition {

    private final Path file;
    private long sequence;

    RoutePosition(Path directory, String route, long initial) {
        this.file = directory.resolve(route + ".position");
        try {
            Files.createDirectories(directory);
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                this.sequence = Long.parseLong(text);
            } else {
                this.sequence = initial;
                write(initial);
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("notification route " + route + ": cannot read its position " + file + ": " + e.getMessage(), e);
        }
    }

    long get() {
        return sequence;
    }

    void set(long next) {
        if (next == sequence) {
            return;
        }
        try {
            write(next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        sequence = next;
    }

    private void write(long value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
