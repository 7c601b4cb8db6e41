package io.millwright.lifecycle.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * One gateway per data folder. Started at start level 1, before Config Admin, the journal or the web server: it
 * locks {@code <millwright.data.dir>/gateway.lock} and writes its process id into it. A second gateway started on a
 * folder in use prints which process holds it and exits at once (status 3), before it has touched a file or a port
 * — otherwise it would run on without the journal (MapDB's own lock refuses it) while sharing the configuration
 * folder with the first.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class DataFolderLock implements BundleActivator {

    /** Exit status of a gateway refused because its data folder is in use. */
    static final int IN_USE = 3;
    static final String FILE = "gateway.lock";

    private FileChannel channel;
    private FileLock lock;

    @Override
    public void start(BundleContext context) throws IOException {
        String data = context.getProperty("millwright.data.dir");
        Path folder = Path.of(data == null || data.isBlank() ? "data" : data).toAbsolutePath();
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = c.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            l = null;
        }
        if (l == null) {
            String holder = holder(c);
            c.close();
            System.err.println("millwright: the data folder " + folder + " is in use by another gateway (" + holder + ", lock " + file
                    + "); stop that one, or start this one with another data folder (MILLWRIGHT_DATA)");
            System.err.flush();
            // nothing else has started yet (start level 1): leave at once, without running the framework's shutdown
            Runtime.getRuntime().halt(IN_USE);
        }
        c.truncate(0);
        c.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        c.force(false);
        this.channel = c;
        this.lock = l;
        startLogFile(context, folder);
    }

    private RollingLog log;
    private java.io.PrintStream consoleOut;
    private java.io.PrintStream consoleErr;

    /** The log in the data folder ({@code logs/gateway.log}, rolling): standard output and error go there too. */
    private void startLogFile(BundleContext context, Path folder) {
        try {
            long maxMb = Long.parseLong(property(context, "millwright.log.maxFileMb", "10"));
            int files = Integer.parseInt(property(context, "millwright.log.files", "5"));
            log = new RollingLog(folder.resolve("logs"), maxMb * 1024 * 1024, files);
            consoleOut = System.out;
            consoleErr = System.err;
            System.setOut(RollingLog.tee(consoleOut, log));
            System.setErr(RollingLog.tee(consoleErr, log));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("millwright: no log file in " + folder.resolve("logs") + " (" + e.getMessage() + "): logging to the console only");
        }
    }

    private static String property(BundleContext context, String name, String otherwise) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? otherwise : v.strip();
    }

    private static String holder(FileChannel c) {
        try {
            ByteBuffer b = ByteBuffer.allocate(256);
            int n = c.read(b, 0);
            String text = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "process unknown" : text;
        } catch (IOException e) {
            return "process unknown: " + e.getMessage();
        }
    }

    @Override
    public void stop(BundleContext context) throws IOException {
        if (log != null) {
            System.setOut(consoleOut);
            System.setErr(consoleErr);
            log.close();
        }
        if (lock != null) {
            lock.release();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
