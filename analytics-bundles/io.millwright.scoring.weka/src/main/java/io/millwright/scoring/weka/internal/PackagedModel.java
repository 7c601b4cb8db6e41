package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.ScoringModel;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import io.millwright.features.Mahalanobis;
import weka.classifiers.Classifier;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.Utils;

/**
 * One version of a model from a package ({@code .mwmodel}: {@code model.properties} + the model entry), validated
 * when loaded: the hash of the model entry matches the declared one; a {@code model.weka} holds a Weka classifier and
 * its header, the header's attributes are the declared feature set's features in order (numeric) plus a class
 * attribute of the kind the model declares; a {@code model.mahalanobis} is an anomaly model ({@link Mahalanobis}'s
 * text, read without deserialization) of as many features as the set; and a trial score on a neutral vector succeeds.
 * Thread-safe: Weka's {@code classifyInstance} is called under the instance's lock, as Weka's trees keep per-call
 * state in places.
 */
final class PackagedModel implements ScoringModel {

    /** What computes a version's raw answer: a Weka classifier, or a Mahalanobis distance. */
    private interface Estimator {
        /** @return the number (RUL, anomaly score) or the class distribution */
        double[] estimate(double[] features) throws Exception;
    }

    private final String id;
    private final String version;
    private final String sha256;
    private final ModelKind kind;
    private final FeatureSetDefinition featureSet;
    private final Estimator estimator;
    /** The class names of a classification model (Weka's class attribute), else empty. */
    private final List<String> classes;
    private final double anomalyWarning;
    private final double anomalyCritical;
    private final UrgencyPolicy policy;
    private final double hoursPerUnit;
    private final String source;
    private final FeatureMonitor monitor;
    private final RealisedAccuracy accuracy;
    private final java.util.Map<String, String> card;

    private PackagedModel(String source, Properties p, Estimator estimator, List<String> classes, UrgencyPolicy policy) throws InvalidModelException {
        this.source = source;
        this.id = required(source, p, "model.id");
        this.version = required(source, p, "model.version");
        this.sha256 = required(source, p, "model.sha256");
        try {
            this.kind = ModelKind.valueOf(required(source, p, "model.kind"));
            this.featureSet = new FeatureSetDefinition(required(source, p, "featureSet.name"),
                    Integer.parseInt(required(source, p, "featureSet.version")), Long.parseLong(required(source, p, "featureSet.windowMicros")),
                    Long.parseLong(required(source, p, "featureSet.hopMicros")), List.of(required(source, p, "featureSet.features").split(",")));
            this.hoursPerUnit = Double.parseDouble(p.getProperty("target.hoursPerUnit", "1"));
            this.anomalyWarning = Double.parseDouble(p.getProperty("anomaly.warning", "0.6"));
            this.anomalyCritical = Double.parseDouble(p.getProperty("anomaly.critical", "0.8"));
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(source + ": " + e.getMessage(), e);
        }
        if (!(anomalyWarning > 0 && anomalyCritical > anomalyWarning && Double.isFinite(anomalyCritical))) {
            throw new InvalidModelException(source + ": anomaly.warning=" + anomalyWarning + " anomaly.critical=" + anomalyCritical
                    + ": need 0 < warning < critical");
        }
        this.estimator = estimator;
        this.classes = classes;
        this.policy = policy;
        try {
            this.monitor = FeatureMonitor.of(p, featureSet.features());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(source + ": model.properties " + e.getMessage(), e);
        }
        double cap;
        try {
            cap = Double.parseDouble(p.getProperty("metrics.capHours", "0"));
        } catch (NumberFormatException e) {
            throw new InvalidModelException(source + ": model.properties metrics.capHours=" + p.getProperty("metrics.capHours") + " is not a number", e);
        }
        this.accuracy = new RealisedAccuracy(kind, policy, cap);
        java.util.Map<String, String> c = new java.util.TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("card.")) {
                c.put(k.substring(5), p.getProperty(k));
            } else if (k.startsWith("metrics.")) {
                c.put(k, p.getProperty(k));
            }
        }
        this.card = java.util.Map.copyOf(c);
    }

    /** @return the package's model card and training metrics */
    java.util.Map<String, String> card() {
        return card;
    }

    /** @return this version's answers judged after failures and maintenance */
    RealisedAccuracy accuracy() {
        return accuracy;
    }

    /** @return the feature drift of what this version scored */
    FeatureMonitor monitor() {
        return monitor;
    }

    /**
     * @param source where the package came from, for messages
     * @param bytes the package
     * @param policy urgency policy for remaining useful life
     * @return the validated model
     * @throws InvalidModelException naming the package and what is wrong
     */
    static PackagedModel load(String source, byte[] bytes, UrgencyPolicy policy, SignedPackage.Rules rules) throws InvalidModelException {
        SignedPackage.Contents contents = SignedPackage.open(source, bytes, rules);
        Properties props = new Properties();
        try {
            props.load(new ByteArrayInputStream(contents.properties()));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidModelException(source + ": model.properties is not readable (" + e.getMessage() + ")", e);
        }
        byte[] model = contents.model();
        String declared = props.getProperty("model.sha256", "");
        String actual = sha256(model);
        if (!declared.equalsIgnoreCase(actual)) {
            throw new InvalidModelException(source + ": " + contents.modelEntry() + " has SHA-256 " + actual + " but the package declares " + declared
                    + " (corrupt or altered)");
        }
        PackagedModel m = contents.modelEntry().equals(SignedPackage.MAHALANOBIS) ? mahalanobis(source, props, model, policy)
                : weka(source, props, model, policy);
        m.trial();
        return m;
    }

    private static PackagedModel mahalanobis(String source, Properties props, byte[] model, UrgencyPolicy policy) throws InvalidModelException {
        Mahalanobis distance;
        try {
            distance = Mahalanobis.parse(model);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(source + ": " + SignedPackage.MAHALANOBIS + ": " + e.getMessage(), e);
        }
        PackagedModel m = new PackagedModel(source, props, f -> new double[] {distance.distance(f)}, List.of(), policy);
        if (m.kind != ModelKind.ANOMALY) {
            throw new InvalidModelException(source + ": a Mahalanobis model is an ANOMALY model, the package declares " + m.kind);
        }
        if (distance.features() != m.featureSet.features().size()) {
            throw new InvalidModelException(source + ": the Mahalanobis model takes " + distance.features() + " features but feature set "
                    + m.featureSet.id() + " has " + m.featureSet.features().size());
        }
        return m;
    }

    private static PackagedModel weka(String source, Properties props, byte[] model, UrgencyPolicy policy) throws InvalidModelException {
        Object[] read;
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(PackagedModel.class.getClassLoader());
        try {
            read = ModelObjectInput.readAll(model, PackagedModel.class.getClassLoader());
        } catch (java.io.InvalidClassException e) {
            throw new InvalidModelException(source + ": refused: model.weka " + e.getMessage(), e);
        } catch (Exception | LinkageError e) {
            throw new InvalidModelException(source + ": model.weka cannot be read by Weka 3.8.7: " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        if (read.length < 2 || !(read[0] instanceof Classifier c) || !(read[1] instanceof Instances header)) {
            throw new InvalidModelException(source + ": model.weka must hold a Weka classifier and its header (Instances), found "
                    + Arrays.stream(read).map(o -> o == null ? "null" : o.getClass().getSimpleName()).toList());
        }
        List<String> classes = new java.util.ArrayList<>();
        if (header.classIndex() >= 0 && header.classAttribute().isNominal()) {
            for (int i = 0; i < header.classAttribute().numValues(); i++) {
                classes.add(header.classAttribute().value(i));
            }
        }
        PackagedModel m = new PackagedModel(source, props, new Estimator() {
            @Override
            public synchronized double[] estimate(double[] features) throws Exception {
                double[] v = new double[header.numAttributes()];
                for (int i = 0; i < features.length; i++) {
                    v[i] = Double.isFinite(features[i]) ? features[i] : Utils.missingValue();
                }
                v[v.length - 1] = Utils.missingValue();
                DenseInstance in = new DenseInstance(1.0, v);
                in.setDataset(header);
                return header.classAttribute().isNominal() ? c.distributionForInstance(in) : new double[] {c.classifyInstance(in)};
            }
        }, List.copyOf(classes), policy);
        m.validate(header);
        return m;
    }

    private void validate(Instances header) throws InvalidModelException {
        List<String> features = featureSet.features();
        if (header.classIndex() != header.numAttributes() - 1 || header.numAttributes() != features.size() + 1) {
            throw new InvalidModelException(source + ": the header has " + header.numAttributes() + " attributes (class index " + header.classIndex()
                    + ") but feature set " + featureSet.id() + " has " + features.size() + " features plus the class");
        }
        for (int i = 0; i < features.size(); i++) {
            Attribute a = header.attribute(i);
            if (!a.name().equals(features.get(i))) {
                throw new InvalidModelException(source + ": header attribute " + (i + 1) + " is '" + a.name() + "' but feature set "
                        + featureSet.id() + " has '" + features.get(i) + "' there (missing or reordered feature)");
            }
            if (!a.isNumeric()) {
                throw new InvalidModelException(source + ": feature '" + a.name() + "' is not numeric in the header");
            }
        }
        boolean nominal = header.classAttribute().isNominal();
        if (nominal != (kind == ModelKind.FAILURE_CLASSIFICATION)) {
            throw new InvalidModelException(source + ": a " + kind + " model needs a " + (nominal ? "numeric" : "nominal") + " class attribute");
        }
    }

    private void trial() throws InvalidModelException {
        try {
            estimator.estimate(new double[featureSet.features().size()]);
        } catch (Exception | LinkageError e) {
            throw new InvalidModelException(source + ": trial score failed: " + e, e);
        }
    }

    private static String required(String source, Properties p, String key) throws InvalidModelException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new InvalidModelException(source + ": model.properties has no " + key);
        }
        return v.trim();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Score score(FeatureVector vector) {
        if (!vector.featureSet().equals(featureSet.name()) || vector.featureSetVersion() != featureSet.version()) {
            throw new IllegalArgumentException("model " + id + " " + version + " scores " + featureSet.id() + ", not " + vector.featureSet() + "@"
                    + vector.featureSetVersion());
        }
        double[] out;
        try {
            out = estimator.estimate(vector.values());
        } catch (Exception e) {
            throw new IllegalStateException("model " + id + " " + version + " failed on " + vector.asset() + ": " + e, e);
        }
        Score s = switch (kind) {
            case REMAINING_USEFUL_LIFE -> {
                double hours = Math.max(0, out[0]) * hoursPerUnit;
                Urgency u = policy.of(Duration.ofSeconds((long) (hours * 3600)));
                yield score(vector, policy.describe(), hours, u.name(), u, switch (u) {
                    case CRITICAL -> "Stop and repair within 48 h: remaining useful life about " + Math.round(hours) + " h";
                    case WARNING -> "Plan maintenance this week: remaining useful life about " + Math.round(hours) + " h";
                    case NORMAL -> "No action";
                });
            }
            case FAILURE_CLASSIFICATION -> {
                int best = Utils.maxIndex(out);
                String label = classes.get(best);
                boolean failing = best != 0;
                Urgency u = !failing ? Urgency.NORMAL : out[best] >= 0.8 ? Urgency.CRITICAL : Urgency.WARNING;
                yield score(vector, "class: not '" + classes.get(0) + "' with p>=0.8 CRITICAL, else WARNING", out[best], label, u,
                        failing ? "Inspect now: " + label + " predicted (p=" + String.format(java.util.Locale.ROOT, "%.2f", out[best]) + ")" : "No action");
            }
            case ANOMALY -> {
                Urgency u = out[0] >= anomalyCritical ? Urgency.CRITICAL : out[0] >= anomalyWarning ? Urgency.WARNING : Urgency.NORMAL;
                yield score(vector, String.format(java.util.Locale.ROOT, "anomaly: >=%.3f CRITICAL, >=%.3f WARNING", anomalyCritical, anomalyWarning),
                        out[0], u.name(), u, switch (u) {
                            case CRITICAL -> "Inspect now: behaviour far from its normal (score " + String.format(java.util.Locale.ROOT, "%.1f", out[0])
                                    + "); check vibration, temperatures and the process before it fails";
                            case WARNING -> "Check the asset: behaviour unlike its normal (score " + String.format(java.util.Locale.ROOT, "%.1f", out[0])
                                    + "); compare its trends with the last healthy weeks";
                            case NORMAL -> "No action";
                        });
            }
        };
        monitor.record(vector.values(), s.result(), s.urgency());
        accuracy.record(vector.asset(), vector.window().toMicros(), s.result(), s.urgency());
        return s;
    }

    private Score score(FeatureVector v, String policyText, double result, String label, Urgency u, String action) {
        return new Score(v.asset(), id, version, sha256, kind, featureSet.name(), featureSet.version(), v.window(), policyText, result, label, u, action);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String sha256() {
        return sha256;
    }

    @Override
    public ModelKind kind() {
        return kind;
    }

    @Override
    public FeatureSetDefinition featureSet() {
        return featureSet;
    }

    @Override
    public String toString() {
        return id + " " + version + " (" + featureSet.id() + ", " + source + ")";
    }
}
