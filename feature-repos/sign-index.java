// Signs and verifies feature repository indexes: a detached signature per index, Base64 of SHA256withECDSA (or
// SHA256withRSA for an RSA key) over the index file's exact bytes, and the signer's certificate beside it.
//
//   java feature-repos/sign-index.java sign <key store .p12> <password file> <index.xml> [<index.xml.gz> …]
//        writes <index>.sig for each, and signer.crt (PEM) in the first index's folder
//   java feature-repos/sign-index.java verify <certificate .crt> <index.xml> [<signature>]
//        exit 0 and "verified" when the signature (default <index>.sig) is the certificate's over these bytes; 1 otherwise
//
// The build signs with its per-build key (target/model-signing, made by analytics-bundles/model-signing-key.sh); a
// vendor re-signs the indexes it publishes with its own key (docs/distributions.md).

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;

public class SignIndex {

    public static void main(String[] args) throws Exception {
        if (args.length >= 4 && args[0].equals("sign")) {
            sign(Path.of(args[1]), Path.of(args[2]), args);
        } else if (args.length >= 3 && args[0].equals("verify")) {
            Path index = Path.of(args[2]);
            Path sig = args.length > 3 ? Path.of(args[3]) : Path.of(args[2] + ".sig");
            boolean ok = verify(Path.of(args[1]), index, sig);
            System.out.println((ok ? "verified: " : "NOT verified: ") + index + " (signature " + sig + ", certificate " + args[1] + ")");
            System.exit(ok ? 0 : 1);
        } else {
            System.err.println("usage: sign-index.java sign <keystore.p12> <password-file> <index>… | verify <cert.crt> <index> [<sig>]");
            System.exit(2);
        }
    }

    static void sign(Path keyStore, Path passwordFile, String[] args) throws Exception {
        char[] password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        String alias = Collections.list(ks.aliases()).stream().filter(a -> {
            try {
                return ks.isKeyEntry(a);
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new IllegalArgumentException(keyStore + " holds no key"));
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
        for (int i = 3; i < args.length; i++) {
            Path index = Path.of(args[i]);
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
            s.initSign(key);
            s.update(Files.readAllBytes(index));
            Files.writeString(Path.of(args[i] + ".sig"), Base64.getEncoder().encodeToString(s.sign()) + "\n");
            System.out.println("signed " + index);
        }
        Path folder = Path.of(args[3]).toAbsolutePath().getParent();
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(folder.resolve("signer.crt"), pem);
    }

    static boolean verify(Path certificate, Path index, Path signature) throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certificate)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        if (!Files.isRegularFile(signature)) {
            return false;
        }
        Signature s = Signature.getInstance(algorithm(cert.getPublicKey().getAlgorithm()));
        s.initVerify(cert.getPublicKey());
        s.update(Files.readAllBytes(index));
        try {
            return s.verify(Base64.getDecoder().decode(Files.readString(signature).strip()));
        } catch (IllegalArgumentException | java.security.SignatureException e) {
            return false;
        }
    }

    static String algorithm(String keyAlgorithm) {
        return keyAlgorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }
}
