package io.millwright.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The gateway's own TLS certificate, made at first start: an EC P-256 key, self-signed, valid 10 years, for the names
 * a browser on the plant network may use ({@code localhost}, the machine's host name, 127.0.0.1, ::1 and the address
 * the gateway listens on). Built with Bouncy Castle (in the distribution already, for OPC UA): the JDK has no public
 * API for certificates.
 */
final class SelfSignedCertificate {

    static final String ALIAS = "millwright";

    private SelfSignedCertificate() {
    }

    /**
     * @param listenHost the address the gateway listens on (added to the names when it is specific)
     * @param password the key store's and key's password
     * @return a PKCS12 key store with the key and its certificate under {@value #ALIAS}
     */
    static byte[] create(String listenHost, char[] password) throws GeneralSecurityException, IOException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = gen.generateKeyPair();
        String host = hostName();
        X500Name subject = new X500Name("CN=" + (host == null ? "millwright-gateway" : host) + ",O=Millwright gateway");
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(64, new SecureRandom());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(host, listenHost).toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate: " + e.getMessage(), e);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {cert});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }

    private static List<GeneralName> names(String host, String listenHost) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        if (host != null) {
            dns.add(host);
        }
        if (listenHost != null && !listenHost.isBlank() && !listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
            (listenHost.matches("[0-9.]+|.*:.*") ? ips : dns).add(listenHost);
        }
        List<GeneralName> out = new ArrayList<>();
        dns.forEach(d -> out.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(i -> out.add(new GeneralName(GeneralName.iPAddress, i)));
        return out;
    }

    static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() || name.matches("[0-9.:]+") ? null : name;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @param cert a certificate
     * @return it as PEM text
     */
    static String pem(Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
