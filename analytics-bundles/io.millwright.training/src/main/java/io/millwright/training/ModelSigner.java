package io.millwright.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Signs model packages: adds {@code model.crt} (the signer's certificate, PEM) and {@code model.sig} (Base64 of
 * SHA256withECDSA — or SHA256withRSA for an RSA key — over the exact bytes of {@code model.properties}, which carries
 * the SHA-256 of the model entry). The key is the first key entry of a PKCS12 key store, e.g. one made with
 * {@code keytool -genkeypair -keyalg EC -groupname secp256r1 -storetype PKCS12}. A gateway loads the package only if
 * the certificate is in its trust store (docs/security.md). Re-signing replaces an earlier signature.
 */
final class ModelSigner {

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ModelSigner(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * @param keyStore a PKCS12 file
     * @param passwordFile a file whose first line is the key store's (and key's) password
     * @return a signer with its first key
     */
    static ModelSigner open(Path keyStore, Path passwordFile) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(keyStore)) {
            throw new IllegalArgumentException("signing key store " + keyStore + " does not exist");
        }
        if (!Files.isRegularFile(passwordFile)) {
            throw new IllegalArgumentException("password file " + passwordFile + " does not exist");
        }
        char[] password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        } catch (IOException e) {
            throw new IllegalArgumentException("signing key store " + keyStore + " cannot be opened with the password in " + passwordFile
                    + " (" + e.getMessage() + ")", e);
        }
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                return new ModelSigner((PrivateKey) ks.getKey(alias, password), (X509Certificate) ks.getCertificate(alias));
            }
        }
        throw new IllegalArgumentException("signing key store " + keyStore + " holds no private key");
    }

    /** @return the signer's certificate subject */
    String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /**
     * Signs a package in place (written to a temporary file, then moved over it) and rewrites its {@code .sha256}.
     *
     * @param pkg the package
     */
    void sign(Path pkg) throws IOException, GeneralSecurityException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(pkg)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        byte[] props = entries.get("model.properties");
        String model = entries.containsKey(ModelPackage.MODEL_WEKA) ? ModelPackage.MODEL_WEKA : ModelPackage.MODEL_MAHALANOBIS;
        if (props == null || !entries.containsKey(model)) {
            throw new IllegalArgumentException(pkg + " is not a model package (model.properties and model.weka or model.mahalanobis)");
        }
        Signature s = Signature.getInstance(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(props);
        String signature = Base64.getEncoder().encodeToString(s.sign()) + "\n";
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "model.properties", props);
            put(zip, model, entries.get(model));
            put(zip, "model.crt", pem.getBytes(StandardCharsets.US_ASCII));
            put(zip, "model.sig", signature.getBytes(StandardCharsets.US_ASCII));
        }
        Path tmp = pkg.resolveSibling(pkg.getFileName() + ".signing");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            o.write(out.toByteArray());
        }
        Files.move(tmp, pkg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(pkg.resolveSibling(pkg.getFileName() + ".sha256"),
                ModelPackage.sha256(out.toByteArray()) + "  " + pkg.getFileName() + "\n");
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(315_532_800_000L); // as ModelPackage: the same content gives the same bytes
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
