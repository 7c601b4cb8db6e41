package io.millwright.compositions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.millwright.testing.GatewayHttp;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a vendor relies on when composing a distribution from the build's feature repositories: each index is signed by
 * the build's key and a changed byte breaks the signature; each resource's SHA-256 is that of the jar it points at;
 * the Apache-2.0 composition (core + drivers) resolved to a gateway with no GPL bundle in it; the full composition
 * resolved to exactly what the distribution ships.
 */
class FeatureRepositoriesTest {

    static final Path REPOS = Path.of("..").toAbsolutePath().normalize();
    static final List<String> FEATURES = List.of("core", "drivers", "analytics", "models");
    static final Path M2 = Path.of(System.getProperty("user.home"), ".m2", "repository");

    /** A resource of an index. */
    record Resource(String name, String version, String license, String sha256, String url) {
    }

    static String index(String feature) throws Exception {
        return Files.readString(REPOS.resolve(feature).resolve("target/index.xml"));
    }

    static List<Resource> resources(String feature) throws Exception {
        List<Resource> out = new ArrayList<>();
        for (String r : index(feature).split("<resource>")) {
            Matcher id = Pattern.compile("<capability namespace=\"osgi.identity\">(.*?)</capability>", Pattern.DOTALL).matcher(r);
            Matcher content = Pattern.compile("<capability namespace=\"osgi.content\">(.*?)</capability>", Pattern.DOTALL).matcher(r);
            if (!id.find() || !content.find()) {
                continue;
            }
            out.add(new Resource(attribute(id.group(1), "osgi.identity"), attribute(id.group(1), "version"), attribute(id.group(1), "license"),
                    attribute(content.group(1), "osgi.content"), attribute(content.group(1), "url")));
        }
        return out;
    }

    static String attribute(String capability, String name) {
        Matcher m = Pattern.compile("<attribute name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(capability);
        return m.find() ? m.group(1).replace("&quot;", "\"").replace("&amp;", "&") : "";
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static boolean verified(Path certificate, byte[] index, Path signature) throws Exception {
        X509Certificate cert = certificate(certificate);
        Signature s = Signature.getInstance(cert.getPublicKey().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
        s.initVerify(cert.getPublicKey());
        s.update(index);
        return s.verify(Base64.getDecoder().decode(Files.readString(signature).strip()));
    }

    @Test
    void everyIndexIsSignedByTheBuildsKeyAndAChangedByteBreaksItsSignature() throws Exception {
        Path buildCert = REPOS.resolve("core/target/build-key.crt");
        for (String f : FEATURES) {
            Path target = REPOS.resolve(f).resolve("target");
            assertThat(certificate(target.resolve("signer.crt"))).as(f + ": signed by the build's key").isEqualTo(certificate(buildCert));
            for (String name : List.of("index.xml", "index.xml.gz")) {
                byte[] bytes = Files.readAllBytes(target.resolve(name));
                assertThat(verified(target.resolve("signer.crt"), bytes, target.resolve(name + ".sig"))).as(f + "/" + name).isTrue();
                byte[] tampered = bytes.clone();
                tampered[tampered.length / 2] ^= 1;
                assertThat(verified(target.resolve("signer.crt"), tampered, target.resolve(name + ".sig"))).as(f + "/" + name + " tampered")
                        .isFalse();
            }
        }
    }

    @Test
    void everyResourcesHashIsTheSha256OfItsJar() throws Exception {
        int checked = 0;
        for (String f : FEATURES) {
            for (Resource r : resources(f)) {
                if (r.url().startsWith("urn:")) {
                    continue; // a multi-release jar's per-release view: the same jar, hashed as its own resource
                }
                Path jar = r.url().startsWith("file:") ? Path.of(URI.create(r.url()))
                        : M2.resolve(r.url().replaceFirst("^https://repo\\.maven\\.apache\\.org/maven2/", ""));
                assertThat(jar).as(f + ": " + r.name() + " at " + r.url()).isRegularFile();
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
                assertThat(r.sha256()).as(f + ": " + r.name() + " " + r.version()).isEqualToIgnoringCase(sha);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(90);
        System.out.println("feature repositories: " + checked + " jars' SHA-256 checked; resources per index: "
                + FEATURES.stream().map(f -> {
                    try {
                        return f + " " + resources(f).size();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList());
    }

    /** @return the composition's resolved bundles, name → version range */
    static Map<String, String> runbundles(Path bndrun) throws Exception {
        String text = Files.readString(bndrun, StandardCharsets.UTF_8);
        String list = text.substring(text.indexOf("-runbundles:"));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z0-9_.\\-]+);version='(\\[[^']+\\))'").matcher(list);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Test
    void theApacheCompositionHasNoGplBundleAndTheFullOneIsWhatTheDistributionShips() throws Exception {
        Map<String, String> apache = runbundles(REPOS.resolve("compositions/apache-only.bndrun"));
        Map<String, String> full = runbundles(REPOS.resolve("compositions/full.bndrun"));
        Map<String, String> shipped = runbundles(REPOS.resolve("../distribution/millwright.bndrun"));
        Map<String, Resource> known = new LinkedHashMap<>();
        for (String f : List.of("core", "drivers")) {
            resources(f).forEach(r -> known.putIfAbsent(r.name(), r));
        }
        assertThat(apache).as("resolved").hasSizeGreaterThan(80).containsKeys("io.millwright.journal.mapdb", "io.millwright.driver.opcua",
                "io.millwright.web", "io.millwright.features", "io.millwright.optimizer");
        Set<String> gpl = new TreeSet<>();
        for (String bundle : apache.keySet()) {
            Resource r = known.get(bundle);
            assertThat(r).as(bundle + " comes from the core or drivers index").isNotNull();
            // EPL-2.0 with the GPL-2.0 classpath exception as a secondary licence (Jakarta JSON, Parsson) is not GPL
            String licence = r.license().replaceAll("(?i)secondary-gpl-2\\.0-cp", "");
            if (licence.matches("(?is).*\\bGPL.*")) {
                gpl.add(bundle + " (" + r.license() + ")");
            }
        }
        assertThat(gpl).as("GPL bundles in the Apache-2.0 composition").isEmpty();
        assertThat(apache).doesNotContainKeys("io.millwright.scoring.weka", "io.millwright.model.pumpbearing");
        assertThat(full).as("the full composition from the indexes alone = the distribution").isEqualTo(shipped);
        Set<String> left = new TreeSet<>(full.keySet());
        left.removeAll(apache.keySet());
        System.out.println("compositions: apache-only " + apache.size() + " bundles, full " + full.size() + "; only in full: " + left);
    }

    /** The Apache-2.0 composition, exported by the build (target/apache-only.jar), runs as a gateway: journal, plant, no model. */
    @Test
    void theApacheCompositionStartsAndJournalsTheSimulatedPlantWithoutAModel(@TempDir Path dir) throws Exception {
        Path jar = REPOS.resolve("compositions/target/apache-only.jar");
        assertThat(jar).isRegularFile();
        Path data = dir.resolve("data");
        for (String d : List.of("etc", "config", "journal")) {
            Files.createDirectories(data.resolve(d));
        }
        int http;
        int https;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            http = a.getLocalPort();
            https = b.getLocalPort();
        }
        Path log = dir.resolve("gateway.log");
        Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dmillwright.data.dir=" + data, "-Dfelix.cm.dir=" + data.resolve("config"), "-Dmillwright.etc.dir=" + data.resolve("etc"),
                "-Dorg.osgi.service.http.port=" + http, "-Dmillwright.https.port=" + https, "-Dorg.apache.felix.http.host=127.0.0.1",
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String journal = null;
            String status = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && gateway.isAlive()) {
                if (Files.isRegularFile(data.resolve("tls/gateway.crt")) && Files.isRegularFile(data.resolve("initial-admin-password"))) {
                    GatewayHttp admin = GatewayHttp.admin(data, https);
                    journal = admin.getOrNull("/api/v1/journal");
                    status = admin.getOrNull("/millwright/api/status");
                    if (journal != null && !journal.contains("\"committedSamples\":0,") && status != null && status.contains("\"state\":\"ONLINE\"")) {
                        break;
                    }
                }
                Thread.sleep(500);
            }
            assertThat(status).as("the simulated plant online; log:%n%s", Files.exists(log) ? Files.readString(log) : "")
                    .contains("\"id\":\"sim\"").contains("\"state\":\"ONLINE\"");
            assertThat(journal).as("the journal commits").containsPattern("\"committedSamples\":[1-9]");
            assertThat(GatewayHttp.admin(data, https).getOrNull("/api/v1/models")).as("no scoring engine, no model").isEqualTo("[]");
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }
}
