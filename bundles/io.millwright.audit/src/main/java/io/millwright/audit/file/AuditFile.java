package io.millwright.audit.file;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.audit.api.AuditVerification;
import io.millwright.audit.internal.AuditLine;
import io.millwright.audit.internal.SecureFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail in one file of JSON lines ({@code <data>/audit/audit.log}): appended under an exclusive file lock
 * (the gateway and the command-line tools write the same file), each entry forced to disk before {@link #record}
 * returns, never rewritten. A last line left incomplete by a crash during a write is cut off at the next append and
 * the cut recorded as an entry of its own ({@code audit.recovered}).
 */
public final class AuditFile implements AuditTrail {

    private final Path file;
    private final Clock clock;
    private final Object lock = new Object();
    private long knownSize = -1;
    private long lastSequence;
    private String lastHash = AuditLine.GENESIS;

    private AuditFile(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * @param file the trail's file (created with its folder, owner-only, on the first record)
     * @return the trail
     */
    public static AuditFile open(Path file) {
        return new AuditFile(file, Clock.systemUTC());
    }

    /**
     * @param file the trail's file
     * @param clock the time entries get
     * @return the trail
     */
    public static AuditFile open(Path file, Clock clock) {
        return new AuditFile(file, clock);
    }

    /** @return the trail's file */
    public Path file() {
        return file;
    }

    @Override
    public AuditEntry record(AuditEvent event) {
        AuditEvent masked = AuditLine.masked(event);
        synchronized (lock) {
            try {
                SecureFiles.createPrivateDirectories(file.getParent());
                try (FileChannel ch = FileChannel.open(file, SecureFiles.privateCreate(StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), SecureFiles.privateFileAttribute(file));
                        FileLock ignored = lockExclusively(ch)) {
                    catchUp(ch);
                    AuditLine.Encoded encoded = AuditLine.encode(lastSequence + 1, clock.instant(), masked, lastHash);
                    append(ch, encoded.line());
                    ch.force(false);
                    lastSequence = encoded.entry().sequence();
                    lastHash = encoded.entry().hash();
                    knownSize = ch.size();
                    return encoded.entry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("audit trail " + file + " cannot be written: " + e.getMessage(), e);
            }
        }
    }

    private static FileLock lockExclusively(FileChannel ch) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                // another AuditFile on the same file in this JVM holds it (tests, tools): wait for it
                if (attempt > 500) {
                    throw new IOException("audit file locked by another writer in this process for 5 s", e);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the audit file's lock", ie);
                }
            }
        }
    }

    /** Reads what another writer appended since our last append; cuts off a line a crash left incomplete. */
    private void catchUp(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == knownSize) {
            return;
        }
        long sequence = 0;
        String hash = AuditLine.GENESIS;
        long complete = 0;
        long position = 0;
        for (String line : lines(ch)) {
            position += line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (position > size) {
                break; // the last line has no newline: incomplete
            }
            complete = position;
            if (!line.isEmpty()) {
                try {
                    AuditEntry e = AuditLine.decode(line);
                    sequence = e.sequence();
                    hash = e.hash();
                } catch (IllegalArgumentException unreadable) {
                    // a damaged line stays as it is (the verifier names it); the chain continues after it
                    sequence++;
                }
            }
        }
        lastSequence = sequence;
        lastHash = hash;
        if (complete < size) {
            long cut = size - complete;
            ch.truncate(complete);
            AuditLine.Encoded encoded = AuditLine.encode(lastSequence + 1, clock.instant(), AuditEvent.of("gateway", "", "gateway", "",
                    "audit.recovered", file.getFileName().toString(), AuditEvent.OK,
                    "an incomplete last line of " + cut + " bytes (a write cut short by a crash) was removed"), lastHash);
            append(ch, encoded.line());
            lastSequence = encoded.entry().sequence();
            lastHash = encoded.entry().hash();
        }
        knownSize = ch.size();
    }

    private static List<String> lines(FileChannel ch) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(ch.size()));
        while (all.hasRemaining() && ch.read(all, all.position()) >= 0) {
            // read on until the buffer holds the whole file
        }
        String text = new String(all.array(), 0, all.position(), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                out.add(text.substring(start));
                break;
            }
            out.add(text.substring(start, nl));
            start = nl + 1;
        }
        return out;
    }

    private static void append(FileChannel ch, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long pos = ch.size();
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    @Override
    public List<AuditEntry> read(long fromSequence, int max) {
        List<AuditEntry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while (out.size() < max && (line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    AuditEntry e = AuditLine.decode(line);
                    if (e.sequence() >= fromSequence) {
                        out.add(e);
                    }
                } catch (IllegalArgumentException unreadable) {
                    // skipped here; verify() names it
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("audit trail " + file + " cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public long lastSequence() {
        synchronized (lock) {
            if (knownSize < 0 || !Files.exists(file)) {
                List<AuditEntry> all = read(1, Integer.MAX_VALUE);
                return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
            }
            return lastSequence;
        }
    }

    @Override
    public AuditVerification verify() {
        long entries = 0;
        long lineNumber = 0;
        String previous = AuditLine.GENESIS;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNumber++;
                String problem = AuditLine.check(line, previous);
                long expected = entries + 1;
                if (problem == null) {
                    AuditEntry e = AuditLine.decode(line);
                    if (e.sequence() != expected) {
                        return new AuditVerification(entries, expected, lineNumber,
                                "entry " + expected + " is missing: line " + lineNumber + " holds entry " + e.sequence());
                    }
                    previous = e.hash();
                    entries++;
                    continue;
                }
                long named = expected;
                try {
                    named = AuditLine.decode(line).sequence();
                } catch (IllegalArgumentException unreadable) {
                    // keep the expected number
                }
                return new AuditVerification(entries, named, lineNumber, "entry " + named + " (line " + lineNumber + "): " + problem);
            }
        } catch (NoSuchFileException e) {
            return new AuditVerification(0, 0, 0, "");
        } catch (IOException e) {
            throw new UncheckedIOException("audit trail " + file + " cannot be read: " + e.getMessage(), e);
        }
        return new AuditVerification(entries, 0, 0, "");
    }

    /** @return a short description for logs */
    @Override
    public String toString() {
        return "AuditFile[" + file + "]";
    }
}
