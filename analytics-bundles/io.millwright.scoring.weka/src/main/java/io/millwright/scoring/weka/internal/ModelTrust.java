package io.millwright.scoring.weka.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may sign model packages: the certificates built into this bundle ({@code /trust/*.crt}: the build key of the
 * distribution, which signed its demo model) and those in the gateway's trust folder ({@code <data>/trust/models},
 * PEM or DER, {@code *.crt}/{@code *.pem}), read again at every check so a certificate added or removed takes effect
 * at the next package. A signer is trusted when its certificate is one of these, byte for byte (pinned: no chains).
 */
final class ModelTrust {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTrust.class);
    static final String BUILT_IN = "/trust/build.crt";
    private final List<X509Certificate> builtIn;
    private final Path folder;

    ModelTrust(List<X509Certificate> builtIn, Path folder) {
        this.builtIn = List.copyOf(builtIn);
        this.folder = folder;
    }

    /** @return the bundle's built-in certificates and the given folder */
    static ModelTrust withBuiltIn(Path folder) {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = ModelTrust.class.getResourceAsStream(BUILT_IN)) {
            if (in != null) {
                certs.addAll(parse(in.readAllBytes()));
            }
        } catch (IOException | CertificateException e) {
            LOG.error("scoring: the built-in signer certificate {} cannot be read: {}", BUILT_IN, e.toString());
        }
        return new ModelTrust(certs, folder);
    }

    Path folder() {
        return folder;
    }

    /** @return the trusted certificates now */
    List<X509Certificate> current() {
        List<X509Certificate> all = new ArrayList<>(builtIn);
        if (folder != null && Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".crt") || f.toString().endsWith(".pem")).sorted().toList()) {
                    try {
                        all.addAll(parse(Files.readAllBytes(p)));
                    } catch (IOException | CertificateException e) {
                        LOG.warn("scoring: trusted signer file {} is not a certificate and is ignored: {}", p, e.getMessage());
                    }
                }
            } catch (IOException e) {
                LOG.warn("scoring: cannot list the trust folder {}: {}", folder, e.toString());
            }
        }
        return all;
    }

    boolean trusts(X509Certificate signer) {
        try {
            byte[] der = signer.getEncoded();
            for (X509Certificate c : current()) {
                if (MessageDigest.isEqual(der, c.getEncoded())) {
                    return true;
                }
            }
        } catch (CertificateEncodingException e) {
            return false;
        }
        return false;
    }

    static List<X509Certificate> parse(byte[] bytes) throws CertificateException {
        Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes));
        List<X509Certificate> out = new ArrayList<>();
        for (var c : certs) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException("no certificate in it");
        }
        return out;
    }

    static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())).substring(0, 16);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "?";
        }
    }
}
