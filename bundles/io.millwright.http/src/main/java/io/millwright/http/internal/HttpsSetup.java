package io.millwright.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for Jetty (Felix HTTP, configuration PID {@value #JETTY_PID}): the key store is the site's PKCS12 file
 * (framework properties {@code millwright.https.keystore} and {@code millwright.https.keystore.password.file}) or the
 * one generated at first start in {@code <data>/tls/} (its password in a file beside it, both owner-only, the
 * certificate also as {@code gateway.crt} for clients to trust). Plain HTTP stays open on its port only so that the
 * guard can redirect it. Jetty is started with {@code org.apache.felix.http.require.config=true}: it opens no port
 * before this configuration is in.
 */
final class HttpsSetup {

    static final String JETTY_PID = "org.apache.felix.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpsSetup.class);

    /** Where the gateway listens and with what key. */
    record Endpoint(String host, int httpPort, int httpsPort, Path keyStore, String keyStorePassword, Certificate certificate) {
        @Override
        public String toString() {
            return "Endpoint[" + host + ", http " + httpPort + ", https " + httpsPort + ", " + keyStore + "]";
        }
    }

    private HttpsSetup() {
    }

    static String host(BundleContext context) {
        return property(context, "org.apache.felix.http.host", "127.0.0.1");
    }

    static int httpsPort(BundleContext context) {
        return port(context, "millwright.https.port", "8443");
    }

    static Endpoint endpoint(BundleContext context) throws IOException, GeneralSecurityException {
        String host = host(context);
        int httpPort = port(context, "org.osgi.service.http.port", "8080");
        int httpsPort = httpsPort(context);
        String configured = context.getProperty("millwright.https.keystore");
        Path keyStore;
        String password;
        if (configured != null && !configured.isBlank()) {
            keyStore = Path.of(configured).toAbsolutePath();
            String passwordFile = context.getProperty("millwright.https.keystore.password.file");
            if (passwordFile == null || passwordFile.isBlank()) {
                throw new IllegalArgumentException("millwright.https.keystore is set (" + keyStore
                        + ") but millwright.https.keystore.password.file is not: say which file holds its password");
            }
            password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
        } else {
            Path tls = Path.of(property(context, "millwright.data.dir", "data")).toAbsolutePath().resolve("tls");
            keyStore = tls.resolve("gateway.p12");
            Path passwordFile = tls.resolve("gateway.p12.password");
            if (!Files.isRegularFile(keyStore) || !Files.isRegularFile(passwordFile)) {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                byte[] store = SelfSignedCertificate.create(host, password.toCharArray());
                PrivateFiles.writeAtomically(passwordFile, (password + "\n").getBytes(StandardCharsets.UTF_8));
                PrivateFiles.writeAtomically(keyStore, store);
                Certificate cert = load(keyStore, password).getCertificate(SelfSignedCertificate.ALIAS);
                PrivateFiles.writeAtomically(tls.resolve("gateway.crt"), SelfSignedCertificate.pem(cert).getBytes(StandardCharsets.US_ASCII));
                LOG.info("first start: TLS certificate generated, {} (clients trust it by importing {})", keyStore, tls.resolve("gateway.crt"));
            } else {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
                Path crt = tls.resolve("gateway.crt");
                if (!Files.isRegularFile(crt)) {
                    // a first start stopped (kill -9) after the key store and before its certificate: clients need it
                    Certificate cert = load(keyStore, password).getCertificate(SelfSignedCertificate.ALIAS);
                    PrivateFiles.writeAtomically(crt, SelfSignedCertificate.pem(cert).getBytes(StandardCharsets.US_ASCII));
                    LOG.warn("TLS certificate {} was missing: written again from {}", crt, keyStore);
                }
            }
        }
        KeyStore ks = load(keyStore, password);
        String alias = ks.aliases().nextElement();
        return new Endpoint(host, httpPort, httpsPort, keyStore, password, ks.getCertificate(alias));
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        } catch (IOException e) {
            throw new IOException("TLS key store " + file + " cannot be read with its password: " + e.getMessage(), e);
        }
        if (!ks.aliases().hasMoreElements()) {
            throw new GeneralSecurityException("TLS key store " + file + " holds no key");
        }
        return ks;
    }

    /** Gives Jetty its configuration, unless it has exactly this one already (every change restarts Jetty). */
    static void configureJetty(ConfigurationAdmin configAdmin, Endpoint e) throws IOException {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.host", e.host());
        p.put("org.apache.felix.http.enable", Boolean.TRUE);
        p.put("org.osgi.service.http.port", e.httpPort());
        p.put("org.apache.felix.https.enable", Boolean.TRUE);
        p.put("org.osgi.service.http.port.secure", e.httpsPort());
        p.put("org.apache.felix.https.keystore", e.keyStore().toString());
        p.put("org.apache.felix.https.keystore.password", e.keyStorePassword());
        p.put("org.apache.felix.https.keystore.key.password", e.keyStorePassword());
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
        p.put("org.apache.felix.https.jetty.protocols.included", new String[] {"TLSv1.3", "TLSv1.2"});
        p.put("org.apache.felix.http.jetty.sendServerHeader", Boolean.FALSE);
        p.put("org.apache.felix.https.jetty.session.cookie.httpOnly", Boolean.TRUE);
        p.put("org.apache.felix.https.jetty.session.cookie.secure", Boolean.TRUE);
        Configuration c = configAdmin.getConfiguration(JETTY_PID, "?");
        Dictionary<String, Object> old = c.getProperties();
        if (old != null && same(old, p)) {
            return;
        }
        c.update(p);
    }

    private static boolean same(Dictionary<String, Object> old, Dictionary<String, Object> p) {
        for (var keys = p.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            Object a = old.get(k);
            Object b = p.get(k);
            if (b instanceof String[] arr ? !(a instanceof String[] o && java.util.Arrays.equals(arr, o)) : !Objects.equals(String.valueOf(a),
                    String.valueOf(b))) {
                return false;
            }
        }
        return true;
    }

    private static String property(BundleContext context, String name, String fallback) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int port(BundleContext context, String name, String fallback) {
        String v = property(context, name, fallback);
        try {
            int port = Integer.parseInt(v);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " = '" + v + "' is not a TCP port (1-65535)");
        }
    }
}
