package io.millwright.audit.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files and folders only their owner can read, created so from the first byte (no window with wider rights). */
public final class SecureFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SecureFiles() {
    }

    /**
     * @param dir a folder, created (with missing parents) mode 0700
     * @throws IOException when it cannot be
     */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * @param file the file about to be opened
     * @return the attribute that makes a new file 0600 (none where the file system has no POSIX permissions)
     */
    public static FileAttribute<?>[] privateFileAttribute(Path file) {
        if (!POSIX) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> rw = PosixFilePermissions.fromString("rw-------");
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(rw)};
    }

    /**
     * @param options open options
     * @return them as a set for {@code FileChannel.open}
     */
    public static Set<OpenOption> privateCreate(OpenOption... options) {
        return Set.of(options);
    }
}
