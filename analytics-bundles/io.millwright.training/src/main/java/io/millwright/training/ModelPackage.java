package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.ModelKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import weka.classifiers.Classifier;
import weka.core.Instances;
import weka.core.SerializationHelper;

/**
 * A deployable model package {@code <id>-<version>.mwmodel} (a zip): {@code model.weka} (the classifier and its
 * header, written with Weka's {@code SerializationHelper.writeAll}) and {@code model.properties} (id, version, kind,
 * the feature set with its window, algorithm, training figures, cross-validation metrics and the SHA-256 of
 * {@code model.weka}). A {@code .sha256} file beside it holds the package's own hash, for verified installs.
 */
final class ModelPackage {

    private ModelPackage() {
    }

    /**
     * @return the package written
     */
    static Path write(Path folder, String id, String version, ModelKind kind, FeatureSetDefinition set, String algorithm, Classifier model,
            Instances header, Map<String, String> metrics) throws Exception {
        ByteArrayOutputStream weka = new ByteArrayOutputStream();
        SerializationHelper.writeAll(weka, new Object[] {model, new Instances(header, 0)});
        byte[] modelBytes = weka.toByteArray();
        Map<String, String> p = new TreeMap<>();
        p.put("model.id", id);
        p.put("model.version", version);
        p.put("model.kind", kind.name());
        p.put("model.algorithm", algorithm);
        p.put("model.sha256", sha256(modelBytes));
        p.put("featureSet.name", set.name());
        p.put("featureSet.version", Integer.toString(set.version()));
        p.put("featureSet.windowMicros", Long.toString(set.windowMicros()));
        p.put("featureSet.hopMicros", Long.toString(set.hopMicros()));
        p.put("featureSet.features", String.join(",", set.features()));
        p.put("engine", "weka 3.8.7");
        metrics.forEach((k, v) -> p.put("metrics." + k, v));
        StringBuilder props = new StringBuilder("# Millwright model package\n");
        p.forEach((k, v) -> props.append(k).append('=').append(v.replace("\\", "\\\\").replace("\n", "\\n")).append('\n'));
        Files.createDirectories(folder);
        Path out = folder.resolve(id + "-" + version + ".mwmodel");
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(entry("model.properties"));
            zip.write(props.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(entry("model.weka"));
            zip.write(modelBytes);
            zip.closeEntry();
        }
        Files.writeString(folder.resolve(out.getFileName() + ".sha256"), sha256(Files.readAllBytes(out)) + "  " + out.getFileName() + "\n");
        return out;
    }

    /** Entries with a fixed time: the same model gives the same package bytes (and hash) on every build. */
    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(315_532_800_000L); // 1980-01-01, the zip format's epoch
        return e;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeText(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}
