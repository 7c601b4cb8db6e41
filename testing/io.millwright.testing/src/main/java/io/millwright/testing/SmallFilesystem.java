package io.millwright.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small filesystem for disk-full tests: a tmpfs of a fixed size mounted on a folder (CI runs as root), with a
 * ballast file that takes its free space away and gives it back. Where mounting is impossible (not root, no mount
 * command) {@link #mount} says why, for the test to skip with that message ({@code Assumptions.abort}).
 */
public final class SmallFilesystem implements AutoCloseable {

    private final Path mountPoint;
    private final Path ballast;

    private SmallFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.ballast = mountPoint.resolve("ballast");
    }

    /**
     * Mounts a tmpfs of {@code sizeMiB} on a new folder under {@code parent}.
     *
     * @param parent where to create the mount point
     * @param sizeMiB the filesystem's size
     * @return the mounted filesystem
     * @throws Unavailable saying why, if mounting is impossible here
     * @throws IOException if the mount point cannot be created
     * @throws InterruptedException if interrupted
     */
    public static SmallFilesystem mount(Path parent, int sizeMiB) throws Unavailable, IOException, InterruptedException {
        Path point = Files.createTempDirectory(parent, "tmpfs-");
        String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + sizeMiB + "m", "tmpfs", point.toString()));
        if (out != null) {
            Files.deleteIfExists(point);
            throw new Unavailable("skipped: cannot mount a " + sizeMiB + " MiB tmpfs on " + point
                    + " (disk-full tests need root, as CI has): " + out);
        }
        return new SmallFilesystem(point);
    }

    /** Mounting a filesystem is impossible here; the message says why. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** @return the folder the filesystem is mounted on */
    public Path root() {
        return mountPoint;
    }

    /** @return bytes a process may still write, as the filesystem reports them */
    public long usableBytes() {
        try {
            return Files.getFileStore(mountPoint).getUsableSpace();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Grows or shrinks the ballast file so that about {@code bytes} stay free (0: the disk is full).
     *
     * @param bytes the free space to leave
     * @throws IOException if the ballast cannot be written
     */
    public void leaveFree(long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
            long target = Math.max(0, f.length() + usableBytes() - bytes);
            if (target < f.length()) {
                f.setLength(target);
                return;
            }
            byte[] block = new byte[64 * 1024];
            f.seek(f.length());
            try {
                while (f.length() < target) {
                    f.write(block, 0, (int) Math.min(block.length, target - f.length()));
                }
            } catch (IOException full) {
                // the filesystem is full: as full as asked for
            }
        }
    }

    /** Deletes the ballast: the space comes back. */
    public void freeAll() throws IOException {
        Files.deleteIfExists(ballast);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String out = run(List.of("umount", "-l", mountPoint.toString()));
        if (out != null) {
            throw new IOException("umount " + mountPoint + " failed: " + out);
        }
        Files.deleteIfExists(mountPoint);
    }

    /** @return null on success, else what the command said */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish in 30 s";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
