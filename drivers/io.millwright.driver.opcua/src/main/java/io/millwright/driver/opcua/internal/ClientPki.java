package io.millwright.driver.opcua.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's OPC UA application instance: one client certificate, generated on first use and kept
 * in {@code <pki>/own/client.p12} (owner-only permissions), and the server trust list:
 * {@code <pki>/trusted/certs} holds the servers trusted; a server not in it is refused and its
 * certificate saved to {@code <pki>/rejected} — trusting it means moving that file into
 * {@code trusted/certs}. Shared by every OPC UA device of the gateway, one instance per folder.
 */
final class ClientPki {

    private static final Logger LOG = LoggerFactory.getLogger(ClientPki.class);
    private static final Map<Path, ClientPki> OPEN = new HashMap<>();
    // the key store's integrity password; the key's protection is the file's owner-only permissions
    private static final char[] STORE_PASSWORD = "millwright-opcua-client".toCharArray();

    final Path directory;
    final KeyPair keyPair;
    final X509Certificate certificate;
    final String applicationUri;
    final CertificateValidator validator;

    private ClientPki(Path directory, KeyPair keyPair, X509Certificate certificate, String applicationUri, CertificateValidator validator) {
        this.directory = directory;
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.applicationUri = applicationUri;
        this.validator = validator;
    }

    /**
     * @param directory the PKI folder
     * @return the PKI of that folder, created on first use
     * @throws Exception if the folder or the key store cannot be read or written
     */
    static synchronized ClientPki open(Path directory) throws Exception {
        Path dir = directory.toAbsolutePath().normalize();
        ClientPki pki = OPEN.get(dir);
        if (pki == null) {
            pki = create(dir);
            OPEN.put(dir, pki);
        }
        return pki;
    }

    private static ClientPki create(Path dir) throws Exception {
        Path own = Files.createDirectories(dir.resolve("own"));
        Path store = own.resolve("client.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        KeyPair keyPair;
        X509Certificate cert;
        if (Files.exists(store)) {
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, STORE_PASSWORD);
            }
            cert = (X509Certificate) ks.getCertificate("client");
            PrivateKey key = (PrivateKey) ks.getKey("client", STORE_PASSWORD);
            if (cert == null || key == null) {
                throw new IOException(store + " holds no entry 'client': delete it to have a new client certificate generated");
            }
            keyPair = new KeyPair(cert.getPublicKey(), key);
        } else {
            String host = hostName();
            String uri = "urn:millwright:gateway:" + host;
            keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            cert = new SelfSignedCertificateBuilder(keyPair).setCommonName("Millwright gateway " + host).setOrganization("Millwright")
                    .setApplicationUri(uri).addDnsName(host).setValidityPeriod(Period.ofYears(5)).build();
            ks.load(null, STORE_PASSWORD);
            ks.setKeyEntry("client", keyPair.getPrivate(), STORE_PASSWORD, new X509Certificate[] {cert});
            Path tmp = own.resolve("client.p12.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, STORE_PASSWORD);
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                LOG.warn("cannot restrict the permissions of {} on this file system", tmp);
            }
            Files.move(tmp, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.write(own.resolve("client.der"), cert.getEncoded());
            LOG.info("OPC UA client certificate generated: {} (give {} to the servers that must trust this gateway)", store,
                    own.resolve("client.der"));
        }
        String uri = applicationUri(cert);
        FileBasedTrustListManager trust = FileBasedTrustListManager.createAndInitialize(dir);
        FileBasedCertificateQuarantine rejected = FileBasedCertificateQuarantine.create(dir.resolve("rejected"));
        return new ClientPki(dir, keyPair, cert, uri, new RecordingValidator(new DefaultClientCertificateValidator(trust, rejected)));
    }

    /**
     * @param sinceNanos a {@link System#nanoTime()} reading
     * @return true if this gateway refused a server's certificate after that moment (otherwise a security refusal
     *     came from the server: it does not trust the gateway)
     */
    boolean refusedServerSince(long sinceNanos) {
        return ((RecordingValidator) validator).lastRefusal - sinceNanos > 0;
    }

    /** Notes when the trust list refused a server, so that a refusal can be told apart from the server refusing us. */
    private static final class RecordingValidator implements CertificateValidator {
        private final CertificateValidator delegate;
        volatile long lastRefusal = System.nanoTime() - Long.MAX_VALUE / 2;

        RecordingValidator(CertificateValidator delegate) {
            this.delegate = delegate;
        }

        @Override
        public void validateCertificateChain(java.util.List<X509Certificate> chain, String applicationUri, String[] validHostNames)
                throws org.eclipse.milo.opcua.stack.core.UaException {
            try {
                delegate.validateCertificateChain(chain, applicationUri, validHostNames);
            } catch (org.eclipse.milo.opcua.stack.core.UaException e) {
                lastRefusal = System.nanoTime();
                throw e;
            }
        }
    }

    private static String applicationUri(X509Certificate cert) throws Exception {
        if (cert.getSubjectAlternativeNames() != null) {
            for (java.util.List<?> san : cert.getSubjectAlternativeNames()) {
                if (Integer.valueOf(6).equals(san.get(0))) {
                    return san.get(1).toString();
                }
            }
        }
        throw new IOException("the client certificate has no application URI");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
