package io.millwright.scoring.weka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.ModelStatus;
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
    static Path key;
    static Path password;
    static SignedPackage.Rules rules;

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
        key = trained.resolve("keys/signer.p12");
        password = trained.resolve("keys/signer.password");
        Path cert = keyPair(key, password, "CN=Test model signer");
        rules = new SignedPackage.Rules(128L << 20, new ModelTrust(ModelTrust.parse(Files.readAllBytes(cert)), trained.resolve("trust")), false);
        List<String> sign = List.of("--sign-key", key.toString(), "--sign-password-file", password.toString());
        Train.run(concat(List.of("cmapss", data.toString(), trained.resolve("v1").toString(), "--trees", "10", "--folds", "2", "--version", "1.0.0",
                "--quiet"), sign));
        Train.run(concat(List.of("cmapss", data.toString(), trained.resolve("v2").toString(), "--trees", "10", "--folds", "2", "--seed", "2",
                "--version", "2.0.0", "--quiet"), sign));
        Train.run(concat(List.of("sim", trained.resolve("sim").toString(), "--lives", "6", "--trees", "10", "--folds", "3", "--quiet"), sign));
        Train.run(concat(List.of("sim-anomaly", trained.resolve("anomaly").toString(), "--runs", "8", "--weeks", "3", "--eval-lives", "0", "--quiet"),
                sign));
        Train.run(concat(List.of("sim-anomaly", trained.resolve("anomaly").toString(), "--runs", "8", "--weeks", "3", "--eval-lives", "0", "--seed", "2",
                "--version", "2.0.0", "--quiet"), sign));
        v1 = trained.resolve("v1").resolve("cmapss-fd001-rul-1.0.0.mwmodel");
        v2 = trained.resolve("v2").resolve("cmapss-fd001-rul-2.0.0.mwmodel");
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A signing key as an integrator makes one: keytool, EC P-256, PKCS12; @return its certificate (PEM) */
    static Path keyPair(Path store, Path passwordFile, String dname) throws Exception {
        Files.createDirectories(store.getParent());
        Files.writeString(passwordFile, "test-signing-password\n");
        Path cert = store.resolveSibling(store.getFileName() + ".crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (List<String> cmd : List.of(
                List.of(keytool, "-genkeypair", "-alias", "signer", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "30",
                        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:file", passwordFile.toString()),
                List.of(keytool, "-exportcert", "-rfc", "-alias", "signer", "-keystore", store.toString(), "-storepass:file",
                        passwordFile.toString(), "-file", cert.toString()))) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        }
        return cert;
    }

    /** Signs bytes of a package with the test key (as millwright-train sign does) and returns the signed bytes. */
    static byte[] signed(byte[] pkg) throws Exception {
        Path tmp = Files.createTempFile(trained, "resign", ".mwmodel");
        Files.write(tmp, pkg);
        Train.run(List.of("sign", tmp.toString(), "--key", key.toString(), "--password-file", password.toString()));
        return Files.readAllBytes(tmp);
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.deactivate();
        }
    }

    private static FeatureVector vector(PackagedModel m, String asset, long end, double s11) {
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
        PackagedModel m = PackagedModel.load(v1.toString(), Files.readAllBytes(v1), UrgencyPolicy.DEFAULT, rules);
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
        registry = new ModelRegistry(null, models, 3, UrgencyPolicy.DEFAULT, 200, rules);
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        ModelSlot slot = registry.slots().get("cmapss-fd001-rul");
        PackagedModel probe = PackagedModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT, rules);
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
        // the same, engine-neutral, as the REST API and the console read it
        io.millwright.analytics.api.ModelStatus shown = slot.inventory();
        assertThat(shown.version()).isEqualTo("2.0.0");
        assertThat(shown.previousVersion()).isEqualTo("1.0.0");
        assertThat(shown.sha256()).isEqualTo(scores.get(8).modelSha256());
        assertThat(shown.comparisons()).hasSize(3).allSatisfy(c -> assertThat(c.activeVersion()).isEqualTo("1.0.0"));
        assertThat(shown.events()).anyMatch(e -> e.what().equals("version 2.0.0 in charge (was 1.0.0)") && e.time().isBefore(java.time.Instant.now().plusSeconds(1)));
    }

    @Test
    void aPackageRemovedFromTheFolderIsWithdrawnAndThePreviousVersionTakesBackOver() throws Exception {
        registry = new ModelRegistry(null, models, 0, UrgencyPolicy.DEFAULT, 200, rules);
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
        registry = new ModelRegistry(null, models, 3, UrgencyPolicy.DEFAULT, 200, rules);
        Path sim = trained.resolve("sim").resolve("pump-bearing-rul-1.0.0.mwmodel");
        Files.copy(v1, models.resolve(v1.getFileName()));
        Files.copy(sim, models.resolve(sim.getFileName()));
        registry.scan();
        assertThat(registry.slots()).containsOnlyKeys("cmapss-fd001-rul", "pump-bearing-rul");
        ModelSlot engines = registry.slots().get("cmapss-fd001-rul");
        ModelSlot pumps = registry.slots().get("pump-bearing-rul");
        PackagedModel pumpModel = PackagedModel.load("probe", Files.readAllBytes(sim), UrgencyPolicy.DEFAULT, rules);
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
        Score engine = engines.score(vector(PackagedModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT, rules), "engine-1", 1_000_000L, 47.5));
        assertThat(pump.modelId()).isEqualTo("pump-bearing-rul");
        assertThat(pump.featureSet()).isEqualTo("pump-bearing");
        assertThat(pump.urgency()).as("a new bearing's vibration").isEqualTo(io.millwright.analytics.api.Urgency.NORMAL);
        assertThat(engine.modelId()).isEqualTo("cmapss-fd001-rul");
        assertThatThrownBy(() -> engines.score(pumpVector)).as("a pump's vector is not an engine's").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pump-bearing@1");
    }

    @Test
    void featureDriftRisesWhenThePlantRunsOutsideItsTrainingRangeAndRecommendsRetraining() throws Exception {
        // the sim model learnt bearing lives at 85-110 % of nominal speed; its package carries that reference and a card
        Path sim = trained.resolve("sim").resolve("pump-bearing-rul-1.0.0.mwmodel");
        PackagedModel model = PackagedModel.load("sim", Files.readAllBytes(sim), UrgencyPolicy.DEFAULT, rules);
        assertThat(model.card()).containsKeys("intendedUse", "trainingData", "limitations", "metrics.rmseHours");
        assertThat(model.card().get("limitations")).contains("85-110 %");
        ModelSlot slot = new ModelSlot(model, 0);
        long t = 1_000_000L;
        for (long seed = 101; seed <= 103; seed++) {
            for (double[] values : Train.simulatedLife(seed, 1.0)) {
                slot.score(new FeatureVector("pump-1", "pump-bearing", 1, new WindowRange(0, 0, t, t += 5_000_000L), model.featureSet().features(), values));
            }
        }
        ModelStatus.Monitoring inside = slot.inventory().monitoring();
        System.out.println("at nominal speed: " + inside);
        assertThat(inside.liveWindows()).isGreaterThan(FeatureMonitor.MIN_WINDOWS);
        assertThat(inside.retraining()).as("lives at nominal speed, inside the training range").isEmpty();
        ModelStatus.FeatureDrift speedInside = drift(inside, "speed.mean");
        assertThat(speedInside.outsideShare()).isZero();
        // the answers over the same windows: whole lives, so from long remaining lives down to CRITICAL before each trip
        ModelStatus.ScoreDistribution answers = inside.scores();
        assertThat(answers.windows()).isEqualTo(inside.liveWindows());
        assertThat(answers.normal() + answers.warning() + answers.critical()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(answers.critical()).isPositive();
        assertThat(answers.p10()).isLessThan(answers.p50()).isLessThan(answers.p90());
        // the same pump run at 70 % of nominal speed: below anything the model learnt
        for (long seed = 201; seed <= 203; seed++) {
            for (double[] values : Train.simulatedLife(seed, 0.7)) {
                slot.score(new FeatureVector("pump-1", "pump-bearing", 1, new WindowRange(0, 0, t, t += 5_000_000L), model.featureSet().features(), values));
            }
        }
        ModelStatus status = slot.inventory();
        ModelStatus.Monitoring outside = status.monitoring();
        System.out.println("at 70 % speed: " + outside);
        ModelStatus.FeatureDrift speedOutside = drift(outside, "speed.mean");
        assertThat(speedOutside.psi()).isGreaterThan(Math.max(FeatureMonitor.PSI_LIMIT, speedInside.psi()));
        assertThat(speedOutside.outsideShare()).isGreaterThan(0.9);
        assertThat(outside.retraining()).startsWith("retraining recommended").contains("speed.mean PSI");
        assertThat(status.events()).anySatisfy(e -> assertThat(e.what()).contains("retraining recommended").contains("speed.mean"));
    }

    @Test
    void anAnomalyModelOfHealthyRunsServesBesideTheRulModelFlagsAFailingBearingAndTakesOverThroughShadow() throws Exception {
        Path a1 = trained.resolve("anomaly").resolve("pump-anomaly-1.0.0.mwmodel");
        Path a2 = trained.resolve("anomaly").resolve("pump-anomaly-2.0.0.mwmodel");
        Path rul = trained.resolve("sim").resolve("pump-bearing-rul-1.0.0.mwmodel");
        PackagedModel probe = PackagedModel.load("probe", Files.readAllBytes(a1), UrgencyPolicy.DEFAULT, rules);
        assertThat(probe.kind()).isEqualTo(ModelKind.ANOMALY);
        assertThat(probe.card()).containsKeys("intendedUse", "trainingData", "limitations", "metrics.targetFalseAlarmsPerWeek");
        assertThat(probe.card().get("trainingData")).contains("healthy runs").contains("no failure data");
        registry = new ModelRegistry(null, models, 3, UrgencyPolicy.DEFAULT, 200, rules);
        Files.copy(a1, models.resolve(a1.getFileName()));
        Files.copy(rul, models.resolve(rul.getFileName()));
        registry.scan();
        assertThat(registry.slots()).as("both on feature set pump-bearing@1").containsOnlyKeys("pump-anomaly", "pump-bearing-rul");
        ModelSlot slot = registry.slots().get("pump-anomaly");
        // a bearing life the model never saw, new to trip: normal at first, far from normal at the end
        List<double[]> life = Train.simulatedLife(301, 1.0);
        List<Score> scores = new ArrayList<>();
        long t = 1_000_000L;
        for (double[] values : life) {
            scores.add(slot.score(new FeatureVector("pump-1", "pump-bearing", 1, new WindowRange(0, 0, t, t += 5_000_000L), probe.featureSet().features(),
                    values)));
        }
        List<Score> first = scores.subList(0, 10);
        Score last = scores.get(scores.size() - 1);
        System.out.println("anomaly scores of a life: first " + first.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.result())).toList()
                + " ... last " + String.format(Locale.ROOT, "%.2f", last.result()) + " " + last.urgency() + "; policy " + last.thresholdPolicy());
        assertThat(first).as("a new bearing").allSatisfy(x -> assertThat(x.urgency()).isEqualTo(Urgency.NORMAL));
        assertThat(last.urgency()).as("the window before the trip").isEqualTo(Urgency.CRITICAL);
        assertThat(last.kind()).isEqualTo(ModelKind.ANOMALY);
        assertThat(last.thresholdPolicy()).startsWith("anomaly: >=");
        assertThat(last.recommendedAction()).startsWith("Inspect now");
        assertThat(last.modelSha256()).isEqualTo(probe.sha256());
        // a second version (other healthy runs) scores in shadow for three windows, then takes over
        Files.copy(a2, models.resolve(a2.getFileName()));
        registry.scan();
        assertThat(slot.status().candidate()).isEqualTo("2.0.0");
        List<Score> next = new ArrayList<>();
        for (double[] values : life.subList(0, 5)) {
            next.add(slot.score(new FeatureVector("pump-1", "pump-bearing", 1, new WindowRange(0, 0, t, t += 5_000_000L), probe.featureSet().features(),
                    values)));
        }
        assertThat(next).extracting(Score::modelVersion).containsExactly("1.0.0", "1.0.0", "1.0.0", "2.0.0", "2.0.0");
        assertThat(next.subList(0, 3)).allSatisfy(x -> assertThat(x.shadow()).startsWith("2.0.0="));
        assertThat(slot.inventory().monitoring().card()).containsKey("limitations");
        // an altered model entry and a package with two models are refused
        byte[] altered = rewrite(Files.readAllBytes(a1), "model.mahalanobis",
                bytes -> new String(bytes, StandardCharsets.UTF_8).replace("shrinkage 0.05", "shrinkage 0.5").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PackagedModel.load("altered.mwmodel", altered, UrgencyPolicy.DEFAULT, rules)).hasMessageContaining("model.mahalanobis")
                .hasMessageContaining("corrupt or altered");
        byte[] two = append(Files.readAllBytes(a1), "model.weka", Files.readAllBytes(a1));
        assertThatThrownBy(() -> PackagedModel.load("two.mwmodel", two, UrgencyPolicy.DEFAULT, rules)).hasMessageContaining("one model per package");
        byte[] notAnomaly = signed(rewrite(Files.readAllBytes(a1), "model.properties",
                bytes -> new String(bytes, StandardCharsets.UTF_8).replace("model.kind=ANOMALY", "model.kind=REMAINING_USEFUL_LIFE").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> PackagedModel.load("kind.mwmodel", notAnomaly, UrgencyPolicy.DEFAULT, rules)).hasMessageContaining("ANOMALY model");
    }

    /** Scores one simulated life in windows 5 s apart ending at {@code t0}'s offsets; @return the trip's time (half a hop after the last window) */
    private static long scoreLife(ModelSlot slot, PackagedModel model, List<double[]> life, long t0) {
        long t = t0;
        for (double[] values : life) {
            t += 5_000_000L;
            slot.score(new FeatureVector("pump-1", "pump-bearing", 1, new WindowRange(0, 0, t - 20_000_000L, t), model.featureSet().features(), values));
        }
        return t + 2_500_000L;
    }

    @Test
    void realisedAccuracyIsJudgedAfterEachFailureAndAMaintenanceSetsTheScoresBeforeItAside() throws Exception {
        Path sim = trained.resolve("sim").resolve("pump-bearing-rul-1.0.0.mwmodel");
        PackagedModel model = PackagedModel.load("sim", Files.readAllBytes(sim), UrgencyPolicy.DEFAULT, rules);
        ModelSlot slot = new ModelSlot(model, 0);
        assertThat(slot.inventory().monitoring().accuracy()).isEqualTo(ModelStatus.Accuracy.NONE);
        // two lives the model never saw, each ending in a trip, at the demo's time scale (8640 plant s per s)
        long trip1 = scoreLife(slot, model, Train.simulatedLife(401, 1.0), 1_000_000_000L);
        slot.outcome("pump-1", trip1, io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE, 8640);
        long trip2 = scoreLife(slot, model, Train.simulatedLife(402, 0.95), trip1 + 86_400_000_000L / 8640);
        slot.outcome("pump-1", trip2, io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE, 8640);
        ModelStatus.Accuracy a = slot.inventory().monitoring().accuracy();
        System.out.println("realised accuracy over two lives: " + a);
        assertThat(a.failures()).isEqualTo(2);
        assertThat(a.windows()).isGreaterThan(80);
        assertThat(a.rulMaeHours()).as("hours of error below the 336 h cap").isLessThan(24);
        assertThat(a.criticalRecall()).isGreaterThan(0.8);
        assertThat(a.criticalPrecision()).isGreaterThan(0.8);
        assertThat(a.warningRecall()).isGreaterThan(0.8);
        assertThat(slot.inventory().monitoring().retraining()).as("right about these failures").doesNotContain("realised accuracy");
        // a maintenance: what was scored before it is set aside, and a trip right after has nothing left to judge
        long t3 = scoreLife(slot, model, Train.simulatedLife(403, 1.0).subList(0, 20), trip2 + 86_400_000_000L / 8640);
        slot.outcome("pump-1", t3, io.millwright.analytics.api.ModelOutcomes.Outcome.MAINTENANCE, 8640);
        slot.outcome("pump-1", t3 + 1_000_000L, io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE, 8640);
        ModelStatus.Accuracy after = slot.inventory().monitoring().accuracy();
        assertThat(after.maintenances()).isEqualTo(1);
        assertThat(after.failures()).isEqualTo(2);
        assertThat(after.windows()).isEqualTo(a.windows());

        // a plant whose bearings fail ten times sooner than the model learnt: CRITICAL missed, retraining recommended
        ModelSlot wrong = new ModelSlot(PackagedModel.load("sim", Files.readAllBytes(sim), UrgencyPolicy.DEFAULT, rules), 0);
        long w1 = scoreLife(wrong, model, Train.simulatedLife(411, 1.0), 1_000_000_000L);
        wrong.outcome("pump-1", w1, io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE, 864);
        assertThat(wrong.inventory().monitoring().retraining()).as("one failure is not yet evidence").doesNotContain("realised accuracy");
        long w2 = scoreLife(wrong, model, Train.simulatedLife(412, 1.0), w1 + 1_000_000_000L);
        wrong.outcome("pump-1", w2, io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE, 864);
        ModelStatus shown = wrong.inventory();
        System.out.println("a plant failing ten times sooner: " + shown.monitoring().accuracy());
        assertThat(shown.monitoring().accuracy().criticalRecall()).isLessThan(0.5);
        assertThat(shown.monitoring().retraining()).contains("retraining recommended: realised accuracy after 2 failures");
        assertThat(shown.events()).anySatisfy(e -> assertThat(e.what()).contains("realised accuracy"));

        // an anomaly model is judged on whether it was raised at the failure, and since when
        PackagedModel anomaly = PackagedModel.load("anomaly", Files.readAllBytes(trained.resolve("anomaly").resolve("pump-anomaly-1.0.0.mwmodel")),
                UrgencyPolicy.DEFAULT, rules);
        ModelSlot detector = new ModelSlot(anomaly, 0);
        long d1 = scoreLife(detector, anomaly, Train.simulatedLife(421, 1.0), 1_000_000_000L);
        detector.outcome("pump-1", d1, io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE, 8640);
        ModelStatus.Accuracy detected = detector.inventory().monitoring().accuracy();
        assertThat(detected.detected()).isEqualTo(1);
        assertThat(detected.leadHoursMedian()).as("plant hours raised before the trip").isGreaterThan(48);
        assertThat(detected.rulMaeHours()).isNaN();
    }

    private static ModelStatus.FeatureDrift drift(ModelStatus.Monitoring m, String feature) {
        return m.features().stream().filter(d -> d.feature().equals(feature)).findFirst().orElseThrow();
    }

    @Test
    void aCorruptPackageOrAWrongHeaderIsRefusedAndTheModelInChargeKeepsScoring() throws Exception {
        registry = new ModelRegistry(null, models, 0, UrgencyPolicy.DEFAULT, 200, rules);
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        ModelSlot slot = registry.slots().get("cmapss-fd001-rul");
        PackagedModel probe = PackagedModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT, rules);

        byte[] corrupt = Files.readAllBytes(v2);
        byte[] truncated = java.util.Arrays.copyOf(corrupt, corrupt.length / 2);
        assertThatThrownBy(() -> PackagedModel.load("cut.mwmodel", truncated, UrgencyPolicy.DEFAULT, rules)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cut.mwmodel");
        Files.write(models.resolve("cmapss-fd001-rul-2.0.0.mwmodel"), truncated);
        registry.scan();
        assertThat(slot.version()).isEqualTo("1.0.0");
        assertThat(slot.status().events()).anyMatch(e -> e.contains("rejected") && e.contains("1.0.0 stays in charge"));

        byte[] altered = rewrite(Files.readAllBytes(v2), "model.weka", bytes -> {
            bytes[bytes.length - 10] ^= 0x55;
            return bytes;
        });
        assertThatThrownBy(() -> PackagedModel.load("altered.mwmodel", altered, UrgencyPolicy.DEFAULT, rules)).hasMessageContaining("SHA-256")
                .hasMessageContaining("corrupt or altered");

        // wrong but signed: the signer's mistake, found by the header check
        byte[] missingFeature = signed(rewrite(Files.readAllBytes(v2), "model.properties",
                bytes -> new String(bytes, StandardCharsets.UTF_8).replace("s2.mean,", "").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> PackagedModel.load("missing.mwmodel", missingFeature, UrgencyPolicy.DEFAULT, rules)).hasMessageContaining("missing.mwmodel")
                .hasMessageContaining("28 features");
        byte[] reordered = signed(rewrite(Files.readAllBytes(v2), "model.properties",
                bytes -> new String(bytes, StandardCharsets.UTF_8).replace("s2.mean,s2.slope", "s2.slope,s2.mean").getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> PackagedModel.load("reordered.mwmodel", reordered, UrgencyPolicy.DEFAULT, rules))
                .hasMessageContaining("attribute 1 is 's2.mean'").hasMessageContaining("'s2.slope'");

        assertThat(slot.score(vector(probe, "engine-1", 5_000_000L, 47.5)).modelVersion()).isEqualTo("1.0.0");
        FeatureVector other = new FeatureVector("engine-1", "other-set", 1, new WindowRange(0, 1, 0, 1), List.of("x.mean"), new double[] {1});
        assertThatThrownBy(() -> slot.score(other)).hasMessageContaining("cmapss-fd001@1").hasMessageContaining("other-set@1");
    }

    @Test
    void unsignedUntrustedTamperedOversizedAndGadgetPackagesAreRefusedWhileTheModelInChargeScoresOn() throws Exception {
        registry = new ModelRegistry(null, models, 0, UrgencyPolicy.DEFAULT, 200, rules);
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        ModelSlot slot = registry.slots().get("cmapss-fd001-rul");
        PackagedModel probe = PackagedModel.load("probe", Files.readAllBytes(v1), UrgencyPolicy.DEFAULT, rules);
        byte[] good = Files.readAllBytes(v2);

        byte[] unsigned = rewrite(rewrite(good, "model.sig", b -> null), "model.crt", b -> null);
        Path strangerKey = trained.resolve("keys/stranger.p12");
        keyPair(strangerKey, trained.resolve("keys/stranger.password"), "CN=Stranger");
        Path strangerPkg = Files.createTempFile(trained, "stranger", ".mwmodel");
        Files.write(strangerPkg, good);
        Train.run(List.of("sign", strangerPkg.toString(), "--key", strangerKey.toString(), "--password-file",
                trained.resolve("keys/stranger.password").toString()));
        byte[] tampered = rewrite(good, "model.properties",
                b -> new String(b, StandardCharsets.UTF_8).replace("model.version=2.0.0", "model.version=9.9.9").getBytes(StandardCharsets.UTF_8));
        byte[] extra = rewrite(good, "model.weka", b -> b);
        extra = append(extra, "notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        // a serialized gadget shape (URLDNS: a HashMap keyed by a java.net.URL) in a correctly signed package
        ByteArrayOutputStream gadget = new ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(gadget)) {
            java.util.HashMap<Object, Object> map = new java.util.HashMap<>();
            map.put(new java.net.URL("http://127.0.0.1:9/"), "x");
            o.writeObject(map);
        }
        String gadgetSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(gadget.toByteArray()));
        byte[] gadgetPkg = signed(rewrite(rewrite(good, "model.weka", b -> gadget.toByteArray()), "model.properties",
                b -> new String(b, StandardCharsets.UTF_8).replaceFirst("model.sha256=[0-9a-f]+", "model.sha256=" + gadgetSha)
                        .getBytes(StandardCharsets.UTF_8)));

        java.util.Map<String, byte[]> refused = new java.util.LinkedHashMap<>();
        refused.put("unsigned (no model.sig)", unsigned);
        refused.put("signed by CN=Stranger", Files.readAllBytes(strangerPkg));
        refused.put("tampered: the signature of", tampered);
        refused.put("unexpected entry 'notes.txt'", extra);
        refused.put("class java.net.URL is not allowed in a model", gadgetPkg);
        for (var e : refused.entrySet()) {
            assertThatThrownBy(() -> PackagedModel.load("x.mwmodel", e.getValue(), UrgencyPolicy.DEFAULT, rules)).as(e.getKey())
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining(e.getKey());
            Files.write(models.resolve("cmapss-fd001-rul-2.0.0.mwmodel"), e.getValue());
            registry.scan();
            assertThat(slot.version()).as(e.getKey() + ": 1.0.0 keeps scoring").isEqualTo("1.0.0");
            assertThat(slot.score(vector(probe, "engine-1", 1_000_000L, 47.5)).modelVersion()).isEqualTo("1.0.0");
            Files.delete(models.resolve("cmapss-fd001-rul-2.0.0.mwmodel"));
            registry.scan();
        }
        SignedPackage.Rules small = new SignedPackage.Rules(good.length - 1, rules.trust(), false);
        assertThatThrownBy(() -> PackagedModel.load("big.mwmodel", good, UrgencyPolicy.DEFAULT, small)).hasMessageContaining("over the cap of");
        assertThat(PackagedModel.load("v2", good, UrgencyPolicy.DEFAULT, rules).version()).as("the signed package itself loads").isEqualTo("2.0.0");
        SignedPackage.Rules development = new SignedPackage.Rules(128L << 20, rules.trust(), true);
        assertThat(PackagedModel.load("unsigned", unsigned, UrgencyPolicy.DEFAULT, development).version()).as("allowUnsignedModels").isEqualTo("2.0.0");
    }

    @Test
    void aModelFolderOthersCanWriteIsNotLoaded() throws Exception {
        registry = new ModelRegistry(null, models, 0, UrgencyPolicy.DEFAULT, 200, rules);
        Files.setPosixFilePermissions(models, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(v1, models.resolve(v1.getFileName()));
        registry.scan();
        assertThat(registry.slots()).as("world-writable folder").isEmpty();
        Files.setPosixFilePermissions(models, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(models.resolve(v1.getFileName()), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        registry.scan();
        assertThat(registry.slots()).as("world-writable package").isEmpty();
        Files.setPosixFilePermissions(models.resolve(v1.getFileName()), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        registry.scan();
        assertThat(registry.slots()).containsOnlyKeys("cmapss-fd001-rul");
    }

    private static byte[] append(byte[] pkg, String name, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(pkg)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private interface Edit {
        byte[] apply(byte[] bytes);
    }

    private static byte[] rewrite(byte[] pkg, String entry, Edit edit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(pkg)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                byte[] edited = e.getName().equals(entry) ? edit.apply(bytes) : bytes;
                if (edited == null) {
                    continue; // the entry removed
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(edited);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
