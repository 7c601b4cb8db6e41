package io.millwright.scoring.weka.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens a model package and checks it before any of it is deserialized: the package and each entry within their size
 * caps (counted while inflating: a zip bomb stops at the cap), only the known entries, each once, and exactly one model
 * entry ({@code model.weka}, a Weka classifier, or {@code model.mahalanobis}, an anomaly model's text); then the
 * signature — {@code model.sig} (Base64) over the exact bytes of {@code model.properties}, made with the key of
 * {@code model.crt}, a certificate the gateway trusts ({@link ModelTrust}). {@code model.properties} carries the
 * SHA-256 of the model entry, so the signature covers the model too ({@link PackagedModel} checks that hash next).
 */
final class SignedPackage {

    static final String PROPERTIES = "model.properties";
    static final String MODEL = "model.weka";
    static final String MAHALANOBIS = "model.mahalanobis";
    static final String SIGNATURE = "model.sig";
    static final String CERTIFICATE = "model.crt";
    private static final Set<String> ENTRIES = Set.of(PROPERTIES, MODEL, MAHALANOBIS, SIGNATURE, CERTIFICATE);
    private static final Map<String, Long> SMALL = Map.of(PROPERTIES, 64L * 1024, SIGNATURE, 4L * 1024, CERTIFICATE, 16L * 1024);

    /**
     * @param properties the bytes of model.properties
     * @param model the bytes of the model entry
     * @param modelEntry its name: {@link #MODEL} or {@link #MAHALANOBIS}
     * @param signer who signed it, null when unsigned packages are allowed and this one is
     */
    record Contents(byte[] properties, byte[] model, String modelEntry, X509Certificate signer) {
    }

    /** The checks' settings. */
    record Rules(long maxPackageBytes, ModelTrust trust, boolean allowUnsigned) {
    }

    private SignedPackage() {
    }

    static Contents open(String source, byte[] bytes, Rules rules) throws InvalidModelException {
        if (bytes.length > rules.maxPackageBytes()) {
            throw new InvalidModelException(source + ": refused: the package has " + bytes.length + " bytes, over the cap of "
                    + rules.maxPackageBytes() + " (maxPackageMb)");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (!ENTRIES.contains(name)) {
                    throw new InvalidModelException(source + ": refused: unexpected entry '" + name + "' (a package holds only " + ENTRIES + ")");
                }
                if (entries.containsKey(name)) {
                    throw new InvalidModelException(source + ": refused: entry '" + name + "' appears twice");
                }
                entries.put(name, readCapped(source, zip, name, SMALL.getOrDefault(name, rules.maxPackageBytes())));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidModelException(source + ": not a readable model package (" + e.getMessage() + ")", e);
        }
        byte[] props = entries.get(PROPERTIES);
        if (entries.containsKey(MODEL) && entries.containsKey(MAHALANOBIS)) {
            throw new InvalidModelException(source + ": refused: holds both " + MODEL + " and " + MAHALANOBIS + " (one model per package)");
        }
        String modelEntry = entries.containsKey(MAHALANOBIS) ? MAHALANOBIS : MODEL;
        byte[] model = entries.get(modelEntry);
        if (props == null || model == null) {
            throw new InvalidModelException(source + ": not a model package: " + (props == null ? PROPERTIES : MODEL + " (or " + MAHALANOBIS + ")")
                    + " is missing");
        }
        byte[] sig = entries.get(SIGNATURE);
        byte[] crt = entries.get(CERTIFICATE);
        if (sig == null || crt == null) {
            if (rules.allowUnsigned()) {
                return new Contents(props, model, modelEntry, null);
            }
            throw new InvalidModelException(source + ": refused: unsigned (no " + (sig == null ? SIGNATURE : CERTIFICATE)
                    + "); sign it with millwright-train sign and trust the signer's certificate in " + rules.trust().folder());
        }
        X509Certificate signer;
        try {
            signer = ModelTrust.parse(crt).get(0);
        } catch (CertificateException e) {
            throw new InvalidModelException(source + ": refused: " + CERTIFICATE + " is not a certificate (" + e.getMessage() + ")", e);
        }
        String who = signer.getSubjectX500Principal().getName() + " (SHA-256 " + ModelTrust.fingerprint(signer) + "…)";
        if (!rules.trust().trusts(signer)) {
            throw new InvalidModelException(source + ": refused: signed by " + who + ", which is not in the gateway's trust store ("
                    + rules.trust().folder() + " or the distribution's build certificate)");
        }
        try {
            signer.checkValidity();
        } catch (CertificateException e) {
            throw new InvalidModelException(source + ": refused: the signer's certificate " + who + " is not valid now (" + e.getMessage() + ")", e);
        }
        try {
            Signature verifier = Signature.getInstance(algorithm(signer));
            verifier.initVerify(signer.getPublicKey());
            verifier.update(props);
            if (!verifier.verify(Base64.getMimeDecoder().decode(sig))) {
                throw new InvalidModelException(source + ": refused: tampered: the signature of " + who + " does not match " + PROPERTIES);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidModelException(source + ": refused: the signature cannot be checked (" + e.getMessage() + ")", e);
        }
        return new Contents(props, model, modelEntry, signer);
    }

    static String algorithm(X509Certificate c) {
        return switch (c.getPublicKey().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
    }

    private static byte[] readCapped(String source, InputStream in, String name, long cap) throws IOException, InvalidModelException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > cap) {
                throw new InvalidModelException(source + ": refused: entry '" + name + "' is larger than its cap of " + cap + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
