package io.millwright.quality.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The consistency rules' learnt references, one line per rule on an asset ({@code <asset> <rule> = <numbers>}), so that
 * a restart does not learn them again from whatever the plant does then. Written whole to a temporary file, forced,
 * then moved over the old one: a crash leaves the old file or the new one. A file that cannot be read is set aside
 * (its references learnt again) rather than stopping data quality.
 */
final class ReferenceFile implements QualityEngine.ReferenceStore {

    private final Path file;
    private final Properties references = new Properties();

    ReferenceFile(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                references.load(in);
            } catch (IOException | IllegalArgumentException e) {
                Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
                try {
                    Files.move(file, aside);
                } catch (IOException moveFailed) {
                    e.addSuppressed(moveFailed);
                }
                org.slf4j.LoggerFactory.getLogger(ReferenceFile.class).warn("data quality: {} cannot be read ({}); set aside as {}, "
                        + "the consistency references are learnt again", file, e.toString(), aside.getFileName());
                references.clear();
            }
        }
    }

    @Override
    public String load(String key) {
        return references.getProperty(key);
    }

    @Override
    public void save(String key, String reference) {
        if (reference == null) {
            if (references.remove(key) == null) {
                return;
            }
        } else {
            references.setProperty(key, reference);
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(temporary)) {
                references.store(out, "Millwright consistency references: <asset> <rule> = version windows intercept sigma | "
                        + "coefficients | low | high | levels | spreads. Delete a line to learn that reference again.");
            }
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("data quality: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
