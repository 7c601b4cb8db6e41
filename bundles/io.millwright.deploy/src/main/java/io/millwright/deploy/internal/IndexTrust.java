package io.millwright.deploy.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's trust store for repository indexes: the distribution's build certificate (built in, the signer of
 * the build's own feature indexes) and every {@code .crt} / {@code .pem} in {@code <data>/trust/repositories}, read at
 * each check so that adding or removing a signer needs no restart. An index is trusted when its detached signature
 * ({@code index.xml.sig}: Base64 of SHA256withECDSA or SHA256withRSA over the exact bytes) verifies with one of them.
 */
final class IndexTrust {

    static final String BUILT_IN = "/trust/build.crt";
    private static final Logger LOG = LoggerFactory.getLogger(IndexTrust.class);

    private final List<X509Certificate> builtIn;
    private final Path folder;

    IndexTrust(List<X509Certificate> builtIn, Path folder) {
        this.builtIn = List.copyOf(builtIn);
        this.folder = folder;
    }

    static IndexTrust withBuiltIn(Path folder) {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = IndexTrust.class.getResourceAsStream(BUILT_IN)) {
            if (in != null) {
                certs.addAll(parse(in.readAllBytes()));
            }
        } catch (IOException | CertificateException e) {
            LOG.error("deploy: the built-in signer certificate {} cannot be read: {}", BUILT_IN, e.toString());
        }
        return new IndexTrust(certs, folder);
    }

    Path folder() {
        return folder;
    }

    List<X509Certificate> current() {
        List<X509Certificate> all = new ArrayList<>(builtIn);
        if (folder != null && Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".crt") || f.toString().endsWith(".pem")).sorted().toList()) {
                    try {
                        all.addAll(parse(Files.readAllBytes(p)));
                    } catch (IOException | CertificateException e) {
                        LOG.warn("deploy: trusted signer file {} is not a certificate and is ignored: {}", p, e.getMessage());
                    }
                }
            } catch (IOException e) {
                LOG.warn("deploy: cannot list the trust folder {}: {}", folder, e.toString());
            }
        }
        return all;
    }

    /**
     * @param index the index's bytes
     * @param signature the detached signature file's bytes
     * @return the signer's subject
     * @throws GeneralSecurityException when no trusted certificate verifies it, saying so
     */
    String verify(byte[] index, byte[] signature) throws GeneralSecurityException {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(new String(signature, java.nio.charset.StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the index's signature is not Base64");
        }
        for (X509Certificate c : current()) {
            try {
                c.checkValidity();
                Signature s = Signature.getInstance(c.getPublicKey().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
                s.initVerify(c.getPublicKey());
                s.update(index);
                if (s.verify(sig)) {
                    return c.getSubjectX500Principal().getName();
                }
            } catch (GeneralSecurityException e) {
                // not this signer (wrong key type, malformed signature for this key, expired): try the next
            }
        }
        throw new GeneralSecurityException("the index's signature does not verify with any trusted signer (the build's certificate or "
                + folder + ")");
    }

    private static List<X509Certificate> parse(byte[] bytes) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
            out.add((X509Certificate) c);
        }
        return out;
    }
}
