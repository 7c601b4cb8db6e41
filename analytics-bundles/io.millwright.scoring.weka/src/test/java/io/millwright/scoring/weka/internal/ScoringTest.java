package io.millwright.scoring.weka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import io.millwright.analytics.api.WindowRange;
import io.millwright.training.Train;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model packages made by the training tool (synthetic C-MAPSS-format data), loaded, validated, scored with lineage,
 * replaced through shadow scoring, refused when corrupt or mismatched.
 */
class ScoringTest {

    @TempDir
    static Path trained;
    static Path v1;
    static Path v2;

    @TempDir
    Path models;
    private ModelRegistry registry;

    @BeforeAll
    static void train() throws Exception {
        System.setProperty("WEKA_HOME", System.getProperty("java.io.tmpdir") + "/millwright-weka-test");
        Path data = Files.createDirectories(trained.resolve("cmapss"));
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder();
        for (int unit = 1; unit <= 12; unit++) {
            int life = 150 + r.nextInt(80);
            for (int c = 1; c <= life; c++) {
                sb.append(unit).append(' ').append(c).append(" 0 0 100");
                for (int s = 1; s <= 21; s++) {
                    double v = s == 11 ? 47 + 1.5 * Math.max(0, c - (life - 125)) / 125.0 + r.nextGaussian() * 0.05 : 100 + r.nextGaussian() * 0.1;
                    sb.append(String.format(Locale.ROOT, " %.4f", v));
                }
                sb.append('\n');
            }
        }
        Files.writeString(data.resolve("train_FD001.txt"), sb);
        Train.run(List.of("cmapss", data.toString(), trained.resolve("v1").toString(), "--trees", "10", "--folds", "2", "--version", "1.0.0", "--quiet"));
        Train.run(List.of("cmapss", data.toString(), trained.resolve("v2").toString(), "--trees", "10", "--folds", "2", "--seed", "2", "--version",
                "2.0.0", "--quiet"));
        Train.run(List.of("sim", trained.resolve("sim").toString(), "--lives", "6", "--trees", "10", "--folds", "3", "--quiet"));
        v1 = trained.resolve("v1").resolve("cmapss-fd001-rul-1.0.0.mwmodel");
        v2 = trained.resolve("v2").resolve("cmapss-fd001-rul-2.0.0.mwmodel");
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.deactivate();
        }
    }

    private static FeatureVector vector(WekaModel m, String asset, long end, double s11) {
        double[] v = new double[m.featureSet().features().size()];
        for (int i = 0; i < v.length; i++) {
            String f = m.featureSet().features().get(i);
            v[i] = f.endsWith(".mean") ? 100 : f.equals("cycle.max") ? 180 : 0;
        }
        v[m.featureSet().features().indexOf("s11.mean")] = s11;
        return new FeatureVector(asset, m.featureSet().name(), m.featureSet().version(), new WindowRange(10, 40, end - 30 * 3_600_000_000L, end),
                m.featureSet().features(), v);
    }

    @Test
    void aModelScoresWithItsLineageAndUrgency() throws Exception {
        WekaModel m = WekaModel.load(v1.toString(), Files.readAllBytes(v1), UrgencyPolicy.DEFAULT);
        assertThat(m.kind()).isEqualTo(ModelKind.REMAINING_USEFUL_LIFE);
        Score worn = m.score(vector(m, "engine-7", 1_000_000_000L, 48.4)); // s11 near the end of life
        Score fresh = m.score(vector(m, "engine-7", 2_000_000_000L, 47.0));
        assertThat(worn.result()).isLessThan(fresh.result());
        assertThat(worn.urgency()).isEqualTo(Urgency.CRITICAL); // a few cycles, one hour each
        assertThat(fresh.urgency()).isEqualTo(fresh.result() < 48 ? Urgency.CRITICAL : fresh.result() < 168 ? Urgency.WARNING : Urgency.NORMAL);
        assertThat(worn.asset()).isEqualTo("engine-7");
        assertThat(worn.modelId()).isEqualTo("cmapss-fd001-rul");
        assertThat(worn.modelVersion()).isEqualTo("1.0.0");
        assertThat(worn.modelSha256()).hasSize(64).isEqualTo(m.sha256());
        assertThat(worn.featureSet()).isEqualTo("cmapss-fd001");
        assertThat(worn.window()).isEqualTo(new WindowRange(10, 40, 1_000_000_000L - 30 * 3_600_000_000L, 1_000_000_000L));
        assertThat(worn.thresholdPolicy()).contains("PT48H");
        assertThat(worn.recommendedAction()).contains("48 h");
    }

    @Test
    void aNewVersionScoresInShadowThenTakesOverWithEveryVectorScoredByExactlyOneVersion() throws Exception {
        registry = new ModelRegistry(null, models, 3, UrgencyPolicy.DEFAULT, 200);
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        ModelSlot slot = registry.slots().get("cmapss-fd001-rul");
        WekaModel probe = WekaModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT);
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            scores.add(slot.score(vector(probe, "engine-1", 1_000_000L * (i + 1), 47.5)));
        }
        Files.copy(v2, models.resolve(v2.getFileName()));
        registry.scan();
        assertThat(slot.status().candidate()).isEqualTo("2.0.0");
        for (int i = 5; i < 12; i++) {
            scores.add(slot.score(vector(probe, "engine-1", 1_000_000L * (i + 1), 47.5)));
        }
        assertThat(scores).extracting(Score::modelVersion).containsExactly("1.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0",
                "2.0.0", "2.0.0", "2.0.0", "2.0.0");
        assertThat(scores.get(8).modelSha256()).isNotEqualTo(scores.get(7).modelSha256());
        // the three windows scored in shadow carry the candidate's answer beside the one in charge, the others none
        assertThat(scores).extracting(Score::shadow).filteredOn(x -> !x.isEmpty()).hasSize(3).allMatch(x -> x.startsWith("2.0.0="));
        assertThat(scores.subList(5, 8)).allSatisfy(x -> assertThat(x.shadow()).startsWith("2.0.0="));
        ModelSlot.Status st = slot.status();
        assertThat(st.active()).isEqualTo("2.0.0");
        assertThat(st.previous()).isEqualTo("1.0.0");
        assertThat(st.comparisons()).hasSize(3).allSatisfy(c -> assertThat(c.candidateVersion()).isEqualTo("2.0.0"));
        assertThat(st.events()).anyMatch(e -> e.contains("scoring in shadow")).anyMatch(e -> e.contains("2.0.0 in charge (was 1.0.0)"));
    }

    @Test
    void aPackageRemovedFromTheFolderIsWithdrawnAndThePreviousVersionTakesBackOver() throws Exception {
        registry = new ModelRegistry(null, models, 0, UrgencyPolicy.DEFAULT, 200);
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        Files.copy(v2, models.resolve(v2.getFileName()));
        registry.scan();
        ModelSlot slot = registry.slots().get("cmapss-fd001-rul");
        assertThat(slot.version()).isEqualTo("2.0.0");
        Files.delete(models.resolve(v2.getFileName()));
        registry.scan();
        assertThat(slot.version()).as("2.0.0's file is gone: 1.0.0 back in charge").isEqualTo("1.0.0");
        assertThat(slot.status().events()).anyMatch(e -> e.contains("version 2.0.0 withdrawn") && e.contains("1.0.0 in charge"));
        Files.delete(models.resolve(v1.getFileName()));
        registry.scan();
        assertThat(registry.slots()).as("no version left: the model is gone").doesNotContainKey("cmapss-fd001-rul");
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        assertThat(registry.slots().get("cmapss-fd001-rul").version()).as("and comes back with its file").isEqualTo("1.0.0");
    }

    @Test
    void severalModelsServeAtOnceEachOnItsOwnFeatureSet() throws Exception {
        registry = new ModelRegistry(null, models, 3, UrgencyPolicy.DEFAULT, 200);
        Path sim = trained.resolve("sim").resolve("pump-bearing-rul-1.0.0.mwmodel");
        Files.copy(v1, models.resolve(v1.getFileName()));
        Files.copy(sim, models.resolve(sim.getFileName()));
        registry.scan();
        assertThat(registry.slots()).containsOnlyKeys("cmapss-fd001-rul", "pump-bearing-rul");
        ModelSlot engines = registry.slots().get("cmapss-fd001-rul");
        ModelSlot pumps = registry.slots().get("pump-bearing-rul");
        WekaModel pumpModel = WekaModel.load("probe", Files.readAllBytes(sim), UrgencyPolicy.DEFAULT);
        double[] healthy = new double[pumpModel.featureSet().features().size()];
        for (int i = 0; i < healthy.length; i++) {
            healthy[i] = switch (pumpModel.featureSet().features().get(i)) {
                case "vibration.rms" -> 0.6;
                case "vibration.kurtosis" -> 1.8;
                case "vibration.crest" -> 1.9;
                case "bearing_temperature.mean" -> 67;
                case "speed.mean" -> 1480;
                case "current.mean" -> 34;
                default -> 0.001;
            };
        }
        FeatureVector pumpVector = new FeatureVector("pump-1", "pump-bearing", 1, new WindowRange(1, 20, 0, 20_000_000L),
                pumpModel.featureSet().features(), healthy);
        Score pump = pumps.score(pumpVector);
        Score engine = engines.score(vector(WekaModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT), "engine-1", 1_000_000L, 47.5));
        assertThat(pump.modelId()).isEqualTo("pump-bearing-rul");
        assertThat(pump.featureSet()).isEqualTo("pump-bearing");
        assertThat(pump.urgency()).as("a new bearing's vibration").isEqualTo(io.millwright.analytics.api.Urgency.NORMAL);
        assertThat(engine.modelId()).isEqualTo("cmapss-fd001-rul");
        assertThatThrownBy(() -> engines.score(pumpVector)).as("a pump's vector is not an engine's").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pump-bearing@1");
    }

    @Test
    void aCorruptPackageOrAWrongHeaderIsRefusedAndTheModelInChargeKeepsScoring() throws Exception {
        registry = new ModelRegistry(null, models, 0, UrgencyPolicy.DEFAULT, 200);
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        ModelSlot slot = registry.slots().get("cmapss-fd001-rul");
        WekaModel probe = WekaModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT);

        byte[] corrupt = Files.readAllBytes(v2);
        byte[] truncated = java.util.Arrays.copyOf(corrupt, corrupt.length / 2);
        assertThatThrownBy(() -> WekaModel.load("cut.mwmodel", truncated, UrgencyPolicy.DEFAULT)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cut.mwmodel");
        Files.write(models.resolve("cmapss-fd001-rul-2.0.0.mwmodel"), truncated);
        registry.scan();
        assertThat(slot.version()).isEqualTo("1.0.0");
        assertThat(slot.status().events()).anyMatch(e -> e.contains("rejected") && e.contains("1.0.0 stays in charge"));

        byte[] altered = rewrite(Files.readAllBytes(v2), "model.weka", bytes -> {
            bytes[bytes.length - 10] ^= 0x55;
            return bytes;
        });
        assertThatThrownBy(() -> WekaModel.load("altered.mwmodel", altered, UrgencyPolicy.DEFAULT)).hasMessageContaining("SHA-256")
                .hasMessageContaining("corrupt or altered");

        byte[] missingFeature = rewrite(Files.readAllBytes(v2), "model.properties",
                bytes -> new String(bytes, StandardCharsets.UTF_8).replace("s2.mean,", "").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WekaModel.load("missing.mwmodel", missingFeature, UrgencyPolicy.DEFAULT)).hasMessageContaining("missing.mwmodel")
                .hasMessageContaining("28 features");
        byte[] reordered = rewrite(Files.readAllBytes(v2), "model.properties",
                bytes -> new String(bytes, StandardCharsets.UTF_8).replace("s2.mean,s2.slope", "s2.slope,s2.mean").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WekaModel.load("reordered.mwmodel", reordered, UrgencyPolicy.DEFAULT))
                .hasMessageContaining("attribute 1 is 's2.mean'").hasMessageContaining("'s2.slope'");

        assertThat(slot.score(vector(probe, "engine-1", 5_000_000L, 47.5)).modelVersion()).isEqualTo("1.0.0");
        FeatureVector other = new FeatureVector("engine-1", "other-set", 1, new WindowRange(0, 1, 0, 1), List.of("x.mean"), new double[] {1});
        assertThatThrownBy(() -> slot.score(other)).hasMessageContaining("cmapss-fd001@1").hasMessageContaining("other-set@1");
    }

    private interface Edit {
        byte[] apply(byte[] bytes);
    }

    private static byte[] rewrite(byte[] pkg, String entry, Edit edit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(pkg)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(e.getName().equals(entry) ? edit.apply(bytes) : bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
