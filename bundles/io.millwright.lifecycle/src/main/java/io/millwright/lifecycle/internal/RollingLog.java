package io.millwright.lifecycle.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The gateway's log kept in the data folder, so that it survives a restart, a {@code kill -9} and a reboot:
 * everything written to standard output and error (SLF4J's simple logger writes there) also goes to
 * {@code <data>/logs/gateway.log}, which rolls over at a size limit into {@code gateway.log.1} … {@code .N} (the oldest
 * dropped). Bounded: at most {@code files × maxBytes} on disk.
 */
final class RollingLog extends OutputStream {

    private final Path folder;
    private final long maxBytes;
    private final int files;
    private OutputStream out;
    private long size;

    /**
     * @param folder where the files go
     * @param maxBytes the most one file holds before it rolls over
     * @param files how many files are kept (the current one included)
     * @throws IOException when the folder or the file cannot be opened
     */
    RollingLog(Path folder, long maxBytes, int files) throws IOException {
        if (maxBytes < 1024 || files < 1) {
            throw new IllegalArgumentException("millwright.log: " + maxBytes + " bytes × " + files + " files — expected at least 1 KiB and 1 file");
        }
        this.folder = folder;
        this.maxBytes = maxBytes;
        this.files = files;
        Files.createDirectories(folder);
        open();
    }

    Path current() {
        return folder.resolve("gateway.log");
    }

    private void open() throws IOException {
        out = Files.newOutputStream(current(), StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(current());
    }

    private void roll() throws IOException {
        out.close();
        Files.deleteIfExists(folder.resolve("gateway.log." + (files - 1)));
        for (int i = files - 2; i >= 1; i--) {
            Path from = folder.resolve("gateway.log." + i);
            if (Files.exists(from)) {
                Files.move(from, folder.resolve("gateway.log." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (files > 1) {
            Files.move(current(), folder.resolve("gateway.log.1"), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(current());
        }
        open();
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (size > 0 && size + len > maxBytes) {
            roll();
        }
        out.write(b, off, len);
        size += len;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** Writes to both: the console (or the service manager's journal) and the file. A failing file never stops the console. */
    static PrintStream tee(PrintStream console, RollingLog file) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                try {
                    file.write(b);
                } catch (IOException e) {
                    // the console still has it
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                try {
                    file.write(b, off, len);
                } catch (IOException e) {
                    // the console still has it
                }
            }

            @Override
            public void flush() {
                console.flush();
                try {
                    file.flush();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}
