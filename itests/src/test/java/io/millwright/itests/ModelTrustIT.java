package io.millwright.itests;

import static io.millwright.itests.FrameworkChecks.await;
import static io.millwright.itests.FrameworkChecks.drainAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.api.ScoringModel;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The distribution as shipped, its demo model (1.0.0, signed by the build's key) scoring: model packages a plant must
 * never run are dropped into the model folder one after the other — unsigned, tampered after signing, over the size
 * cap, and correctly signed but holding a serialized gadget shape (a HashMap keyed by a java.net.URL). Each is refused
 * with its reason in the audit trail, and 1.0.0 scores on through all of them.
 * The package over the size cap is a zip bomb in small: an entry inflating past the cap.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelTrustIT {

    private static final String LINEAGE = "s.pump-bearing.pump-bearing-rul.lineage";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    @Test
    public void packagesThatAreNotTrustedAreRefusedAndTheModelInServiceScoresOn() throws Exception {
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        JournalCursor reader = journal.openCursor("it-model-trust", StartAt.LATEST);
        await("the demo model in service", 60, () -> inService());
        Path data = Path.of(context.getProperty("millwright.data.dir"));
        Path folder = Files.createDirectories(data.resolve("models"));
        Path trail = data.resolve("audit/audit.log");
        byte[] v2 = Files.readAllBytes(Path.of(System.getProperty("it.model.v2")));

        Map<String, byte[]> packages = new LinkedHashMap<>();
        packages.put("unsigned (no model.sig)", edit(v2, Map.of("model.sig", b -> null, "model.crt", b -> null)));
        packages.put("tampered: the signature of", edit(v2, Map.of("model.properties", b -> text(b).replace("model.version=2.0.0",
                "model.version=2.0.1").getBytes(StandardCharsets.UTF_8))));
        ByteArrayOutputStream gadget = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(gadget)) {
            HashMap<Object, Object> map = new HashMap<>();
            map.put(new java.net.URL("http://127.0.0.1:9/"), "resolved when deserialized");
            o.writeObject(map);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gadget.toByteArray()));
        packages.put("class java.net.URL is not allowed in a model", sign(edit(v2, Map.of("model.weka", b -> gadget.toByteArray(),
                "model.properties", b -> text(b).replaceFirst("model.sha256=[0-9a-f]+", "model.sha256=" + sha).getBytes(StandardCharsets.UTF_8)))));

        List<Sample> seen = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, byte[]> p : packages.entrySet()) {
            drop(folder, "pump-bearing-rul-2.0." + n++ + ".mwmodel", p.getValue());
            await("refused: " + p.getKey(), 30, () -> lines(trail).stream()
                    .anyMatch(l -> l.contains("\"action\":\"model.refused\"") && l.contains(p.getKey())));
        }
        // over the size cap (16 MiB by default): a model.weka that inflates to 17 MiB (a zip bomb in small: the package
        // itself is a few KiB); the read stops at the cap, nothing is parsed
        byte[] big = edit(v2, Map.of("model.weka", b -> new byte[17 << 20]));
        assertThat(big.length).as("compressed").isLessThan(1 << 20);
        drop(folder, "pump-bearing-rul-2.0.9.mwmodel", big);
        await("refused: over the cap", 30, () -> lines(trail).stream()
                .anyMatch(l -> l.contains("\"action\":\"model.refused\"") && l.contains("larger than its cap of 16777216 bytes")));

        long after = System.currentTimeMillis() * 1000;
        await("1.0.0 scores on after all of them", 60, () -> {
            drainAll(reader, seen);
            return seen.stream().filter(s -> s.channel().tag().equals(LINEAGE) && s.sourceTimeMicros() > after).count() >= 2;
        });
        assertThat(seen.stream().filter(s -> s.channel().tag().equals(LINEAGE)).map(s -> ((StringValue) s.value()).value()))
                .as("every score by the model in service").allMatch(l -> l.contains("version=1.0.0")).isNotEmpty();
        assertThat(Files.readAllLines(trail).stream().filter(l -> l.contains("\"action\":\"model.accepted\"")))
                .as("only the demo models were ever accepted").allMatch(l -> l.contains("pump-bearing-rul 1.0.0") || l.contains("pump-anomaly 1.0.0"));
    }

    private boolean inService() {
        try {
            return context.getServiceReferences(ScoringModel.class, "(millwright.model.id=pump-bearing-rul)") != null;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void drop(Path folder, String name, byte[] bytes) throws IOException {
        Path part = folder.resolve(name + ".part");
        Files.write(part, bytes);
        Files.move(part, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** @return the package with the given entries replaced (or removed, when the edit gives null) */
    private static byte[] edit(byte[] pkg, Map<String, UnaryOperator<byte[]>> edits) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(pkg)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                byte[] edited = edits.getOrDefault(e.getName(), UnaryOperator.identity()).apply(bytes);
                if (edited != null) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    zip.write(edited);
                    zip.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    /** Signs as millwright-train sign does, with the build's key (the one the distribution trusts). */
    private static byte[] sign(byte[] pkg) throws Exception {
        char[] password = Files.readString(Path.of(System.getProperty("it.signing.password"))).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("it.signing.key")))) {
            ks.load(in, password);
        }
        String alias = Collections.list(ks.aliases()).get(0);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(pkg))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign((PrivateKey) ks.getKey(alias, password));
        s.update(entries.get("model.properties"));
        String sig = Base64.getEncoder().encodeToString(s.sign());
        return edit(pkg, Map.of("model.sig", b -> sig.getBytes(StandardCharsets.US_ASCII)));
    }
}
