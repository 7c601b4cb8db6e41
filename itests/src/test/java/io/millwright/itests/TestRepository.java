package io.millwright.itests;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Bundles built by the deployment tests and the signed OSGi R5 index that offers them, as an integrator publishes it:
 * {@code index.xml}, {@code index.xml.sig} (signed with the build's key, which the gateway trusts) and the jars next to
 * it.
 */
final class TestRepository {

    private final Map<String, byte[]> jars = new LinkedHashMap<>();
    private final StringBuilder resources = new StringBuilder();

    /**
     * Adds a bundle with one immediate DS component.
     *
     * @param bsn its symbolic name
     * @param component the component's class among the test classes ({@code io.millwright.itests.deploy.*})
     * @return this
     */
    TestRepository bundle(String bsn, Class<?> component) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Service-Component", "OSGI-INF/component.xml");
        a.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0)(!(version>=2.0.0)))\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String classFile = component.getName().replace('.', '/') + ".class";
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
            jar.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + bsn + "\" immediate=\"true\" "
                    + "activate=\"activate\"><implementation class=\"" + component.getName() + "\"/></scr:component>").getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry(classFile));
            try (InputStream in = TestRepository.class.getResourceAsStream("/" + classFile)) {
                jar.write(in.readAllBytes());
            }
        }
        byte[] bytes = out.toByteArray();
        String file = bsn + "-1.0.0.jar";
        jars.put(file, bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).toUpperCase(Locale.ROOT);
        resources.append("""
                  <resource>
                    <capability namespace="osgi.identity">
                      <attribute name="osgi.identity" value="%s"/>
                      <attribute name="type" value="osgi.bundle"/>
                      <attribute name="version" type="Version" value="1.0.0"/>
                    </capability>
                    <capability namespace="osgi.content">
                      <attribute name="osgi.content" value="%s"/>
                      <attribute name="url" value="%s"/>
                      <attribute name="size" type="Long" value="%d"/>
                    </capability>
                    <requirement namespace="osgi.extender">
                      <directive name="filter" value="(&amp;(osgi.extender=osgi.component)(version&gt;=1.3.0)(!(version&gt;=2.0.0)))"/>
                    </requirement>
                  </resource>
                """.formatted(bsn, sha, file, bytes.length));
        return this;
    }

    /** @return the repository's files: {@code index.xml}, {@code index.xml.sig}, then the jars */
    Map<String, byte[]> files(String name) throws Exception {
        byte[] index = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repository xmlns=\"http://www.osgi.org/xmlns/repository/v1.0.0\" name=\"" + name
                + "\" increment=\"1\">\n" + resources + "</repository>\n").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.xml", index);
        files.put("index.xml.sig", signWithBuildKey(index));
        files.putAll(jars);
        return files;
    }

    /** Puts the index, its signature and the jars on the server under {@code /<name>/}. */
    void publish(StaticHttpServer server, String name) throws Exception {
        files(name).forEach((file, bytes) -> server.put("/" + name + "/" + file, bytes));
    }

    static byte[] signWithBuildKey(byte[] content) throws Exception {
        char[] password = Files.readString(Path.of(System.getProperty("it.signing.password"))).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("it.signing.key")))) {
            ks.load(in, password);
        }
        String alias = Collections.list(ks.aliases()).stream().filter(x -> {
            try {
                return ks.isKeyEntry(x);
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        Signature s = Signature.getInstance(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initSign(key);
        s.update(content);
        return (Base64.getEncoder().encodeToString(s.sign()) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
