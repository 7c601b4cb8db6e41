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
 * A deployable model package {@code <id>-<version>.mwmodel} (a zip): the model — {@code model.weka} (a classifier and
 * its header, written with Weka's {@code SerializationHelper.writeAll}) or {@code model.mahalanobis} (an anomaly model,
 * {@link io.millwright.features.Mahalanobis}'s text form) — and {@code model.properties} (id, version, kind,
 * the feature set with its window, algorithm, training figures, cross-validation metrics, the SHA-256 of
 * the model entry, the training reference — per feature its range, decile edges and the training rows' share in each
 * of the ten bins, {@code reference.<feature>=<min> <edge1..9> <max> | <share0..9>}, against which the gateway measures
 * feature drift — and the model card, {@code card.intendedUse}, {@code card.trainingData}, {@code card.limitations}).
 * A {@code .sha256} file beside it holds the package's own hash, for verified installs.
 */
final class ModelPackage {

    private ModelPackage() {
    }

    /**
     * @return the package written
     */
    static Path write(Path folder, String id, String version, ModelKind kind, FeatureSetDefinition set, String algorithm, Classifier model,
            Instances header, Map<String, String> metrics, Card card) throws Exception {
        ByteArrayOutputStream weka = new ByteArrayOutputStream();
        SerializationHelper.writeAll(weka, new Object[] {model, new Instances(header, 0)});
        double[][] rows = new double[header.numInstances()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = java.util.Arrays.copyOf(header.instance(r).toDoubleArray(), set.features().size());
        }
        return write(folder, id, version, kind, set, algorithm, MODEL_WEKA, weka.toByteArray(), "weka 3.8.7", rows, Map.of(), metrics, card);
    }

    /** The model entry of a Weka package: the classifier and its header, serialized by Weka. */
    static final String MODEL_WEKA = "model.weka";
    /** The model entry of a Mahalanobis anomaly package: {@link io.millwright.features.Mahalanobis}'s text form. */
    static final String MODEL_MAHALANOBIS = "model.mahalanobis";

    /**
     * Writes a package around any model entry.
     *
     * @param entry {@link #MODEL_WEKA} or {@link #MODEL_MAHALANOBIS}
     * @param modelBytes the entry's bytes
     * @param engine what reads it, e.g. {@code weka 3.8.7}
     * @param rows the training rows (features in the set's order), for the training reference
     * @param extra more model properties (e.g. an anomaly model's thresholds)
     * @return the package written
     */
    static Path write(Path folder, String id, String version, ModelKind kind, FeatureSetDefinition set, String algorithm, String entry,
            byte[] modelBytes, String engine, double[][] rows, Map<String, String> extra, Map<String, String> metrics, Card card) throws Exception {
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
        p.put("engine", engine);
        p.putAll(extra);
        metrics.forEach((k, v) -> p.put("metrics." + k, v));
        p.put("reference.rows", Integer.toString(rows.length));
        for (int i = 0; i < set.features().size(); i++) {
            double[] column = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                column[r] = rows[r][i];
            }
            p.put("reference." + set.features().get(i), reference(column));
        }
        p.put("card.intendedUse", card.intendedUse());
        p.put("card.trainingData", card.trainingData());
        p.put("card.limitations", card.limitations());
        StringBuilder props = new StringBuilder("# Millwright model package\n");
        p.forEach((k, v) -> props.append(k).append('=').append(v.replace("\\", "\\\\").replace("\n", "\\n")).append('\n'));
        Files.createDirectories(folder);
        Path out = folder.resolve(id + "-" + version + ".mwmodel");
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(entry("model.properties"));
            zip.write(props.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(entry(entry));
            zip.write(modelBytes);
            zip.closeEntry();
        }
        Files.writeString(folder.resolve(out.getFileName() + ".sha256"), sha256(Files.readAllBytes(out)) + "  " + out.getFileName() + "\n");
        return out;
    }

    /**
     * What a model is for, what it learnt from and where it must not be trusted: shown with the model in the console and
     * the API.
     *
     * @param intendedUse what it answers, for which assets
     * @param trainingData what it was trained on (source, rows, operating range)
     * @param limitations where its answers are not to be trusted
     */
    record Card(String intendedUse, String trainingData, String limitations) {
    }

    /** @return {@code <min> <edge1..9> <max> | <share0..9>} of one feature over the training rows */
    static String reference(double[] column) {
        double[] v = new double[column.length];
        int n = 0;
        for (double x : column) {
            if (Double.isFinite(x)) {
                v[n++] = x;
            }
        }
        v = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(v);
        if (n == 0) {
            return "";
        }
        double[] edges = new double[9];
        for (int k = 1; k <= 9; k++) {
            edges[k - 1] = v[Math.min(n - 1, (int) Math.floor(k * n / 10.0))];
        }
        int[] counts = new int[10];
        for (double x : v) {
            counts[bin(edges, x)]++;
        }
        StringBuilder b = new StringBuilder(Double.toString(v[0]));
        for (double e : edges) {
            b.append(' ').append(e);
        }
        b.append(' ').append(v[n - 1]).append(" |");
        for (int c : counts) {
            b.append(' ').append(String.format(java.util.Locale.ROOT, "%.5f", c / (double) n));
        }
        return b.toString();
    }

    /** @return the bin of a value: how many edges lie at or below it (0-9); the gateway bins live values the same way */
    static int bin(double[] edges, double x) {
        int b = 0;
        while (b < edges.length && x >= edges[b]) {
            b++;
        }
        return b;
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
