package io.millwright.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/** The index format, the trust store's signature check, and where jars are fetched from. */
class RepositoryIndexTest {

    static final String INDEX = """
            <?xml version="1.0" encoding="UTF-8"?>
            <repository xmlns="http://www.osgi.org/xmlns/repository/v1.0.0" name="t" increment="1">
              <resource>
                <capability namespace="osgi.identity">
                  <attribute name="osgi.identity" value="com.example.driver"/>
                  <attribute name="type" value="osgi.bundle"/>
                  <attribute name="version" type="Version" value="1.2.0"/>
                </capability>
                <capability namespace="osgi.content">
                  <attribute name="osgi.content" value="ABCDEF"/>
                  <attribute name="url" value="file:/build/com.example.driver-1.2.0.jar"/>
                  <attribute name="size" type="Long" value="1234"/>
                </capability>
                <capability namespace="osgi.wiring.package">
                  <attribute name="osgi.wiring.package" value="com.example.api"/>
                  <attribute name="version" type="Version" value="1.0.0"/>
                  <attribute name="bnd.hashes" type="List&lt;Long&gt;" value="1,-2,3"/>
                </capability>
                <requirement namespace="osgi.wiring.package">
                  <directive name="filter" value="(&amp;(osgi.wiring.package=org.slf4j)(version&gt;=1.7.0))"/>
                </requirement>
              </resource>
              <resource>
                <capability namespace="osgi.identity">
                  <attribute name="osgi.identity" value="com.example.driver"/>
                  <attribute name="type" value="osgi.bundle"/>
                  <attribute name="version" type="Version" value="2.0.0"/>
                </capability>
              </resource>
            </repository>
            """;

    @Test
    void parsesTypedAttributesAndPicksTheHighestVersionInRange() throws IOException {
        RepositoryIndex index = RepositoryIndex.parse(INDEX.getBytes(StandardCharsets.UTF_8));
        assertThat(index.resources()).hasSize(2);
        IndexResource r = index.best("com.example.driver", new VersionRange("[1,2)")).orElseThrow();
        assertThat(r.version()).isEqualTo(new Version(1, 2, 0));
        assertThat(r.sha256()).isEqualTo("abcdef");
        assertThat(r.size()).isEqualTo(1234L);
        assertThat(r.getCapabilities("osgi.wiring.package").get(0).getAttributes().get("bnd.hashes")).isEqualTo(List.of(1L, -2L, 3L));
        assertThat(r.getRequirements("osgi.wiring.package").get(0).getDirectives().get("filter")).startsWith("(&(osgi.wiring.package=org.slf4j)");
        assertThat(index.best("com.example.driver", new VersionRange("1.5")).orElseThrow().version()).isEqualTo(new Version(2, 0, 0));
        assertThat(index.best("com.example.driver", new VersionRange("[3,4)"))).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnIndexAndDoctypes() {
        assertThatThrownBy(() -> RepositoryIndex.parse("<html/>".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("<html>");
        assertThatThrownBy(() -> RepositoryIndex.parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:/etc/passwd\">]><repository>&x;</repository>"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> RepositoryIndex.typed("Version", "not.a.version.x.y")).hasMessageContaining("not.a.version.x.y");
    }

    @Test
    void jarsComeFromNextToAServedIndexAndFromTheirFileOnThisMachine() {
        URI served = URI.create("https://repo.example/drivers/index.xml");
        assertThat(RepositoryClient.artifact(served, "file:/work/build/x-1.0.jar")).isEqualTo(URI.create("https://repo.example/drivers/x-1.0.jar"));
        assertThat(RepositoryClient.artifact(served, "jars/x-1.0.jar")).isEqualTo(URI.create("https://repo.example/drivers/jars/x-1.0.jar"));
        assertThat(RepositoryClient.artifact(served, "https://mirror.example/x.jar")).isEqualTo(URI.create("https://mirror.example/x.jar"));
        assertThat(RepositoryClient.artifact(URI.create("file:/srv/repo/index.xml"), "file:/work/build/x-1.0.jar"))
                .isEqualTo(URI.create("file:/work/build/x-1.0.jar"));
    }

    @Test
    void anIndexSignedWithTheBuildKeyVerifiesAndAChangedByteOrAnotherKeyDoesNot(@TempDir Path trustFolder) throws Exception {
        char[] password = Files.readString(Path.of(System.getProperty("it.signing.password"))).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("it.signing.key")))) {
            ks.load(in, password);
        }
        String alias = Collections.list(ks.aliases()).get(0);
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
        byte[] index = INDEX.getBytes(StandardCharsets.UTF_8);
        IndexTrust trust = new IndexTrust(List.of(cert), trustFolder);
        assertThat(trust.verify(index, sign(key, index))).contains("Millwright build key");
        byte[] changed = index.clone();
        changed[200] ^= 1;
        assertThatThrownBy(() -> trust.verify(changed, sign(key, index))).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("does not verify with any trusted signer");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey foreign = g.generateKeyPair().getPrivate();
        assertThatThrownBy(() -> trust.verify(index, sign(foreign, index))).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> trust.verify(index, "not base64 !".getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("Base64");
        // a signer trusted only through the folder
        Files.writeString(trustFolder.resolve("integrator.crt"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        assertThat(new IndexTrust(List.of(), trustFolder).verify(index, sign(key, index))).contains("Millwright build key");
        assertThatThrownBy(() -> new IndexTrust(List.of(), trustFolder.resolve("empty")).verify(index, sign(key, index)))
                .isInstanceOf(GeneralSecurityException.class);
    }

    private static byte[] sign(PrivateKey key, byte[] content) throws Exception {
        Signature s = Signature.getInstance(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(content);
        return Base64.getEncoder().encode(s.sign());
    }
}
