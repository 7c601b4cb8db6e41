package io.millwright.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weka.classifiers.Classifier;
import weka.core.Instances;
import weka.core.SerializationHelper;

/** The training tool on small synthetic exports in the formats of C-MAPSS and AI4I (the real data is not needed). */
class TrainingToolTest {

    @TempDir
    Path dir;

    static {
        System.setProperty("WEKA_HOME", System.getProperty("java.io.tmpdir") + "/millwright-weka-test");
    }

    /** Engines whose sensor 11 drifts linearly to failure; everything else noise. */
    private static String engines(int count, int seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int unit = 1; unit <= count; unit++) {
            int life = 150 + r.nextInt(100);
            for (int c = 1; c <= life; c++) {
                sb.append(unit).append(' ').append(c).append(" 0 0 100");
                for (int s = 1; s <= 21; s++) {
                    double v = 100 + r.nextGaussian() * 0.1;
                    if (s == 11) {
                        v = 47 + 1.5 * Math.max(0, c - (life - 125)) / 125.0 + r.nextGaussian() * 0.05;
                    }
                    sb.append(String.format(Locale.ROOT, " %.4f", v));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void cmapssTrainsWithGroupedFoldsAndWritesAPackageAndOnePredictionPerTestEngine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("cmapss"));
        Files.writeString(data.resolve("train_FD001.txt"), engines(20, 1));
        Files.writeString(data.resolve("test_FD001.txt"), engines(7, 2));
        Path out = dir.resolve("out");
        Train.run(List.of("cmapss", data.toString(), out.toString(), "--trees", "20", "--quiet"));

        assertThat(Files.readAllLines(out.resolve("cmapss-fd001-test-predictions.txt"))).hasSize(7)
                .allSatisfy(l -> assertThat(Double.parseDouble(l)).isBetween(0.0, 125.0));
        Path pkg = out.resolve("cmapss-fd001-rul-1.0.0.mwmodel");
        try (ZipFile zip = new ZipFile(pkg.toFile())) {
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(zip.getEntry("model.properties"))) {
                p.load(in);
            }
            byte[] model = zip.getInputStream(zip.getEntry("model.weka")).readAllBytes();
            assertThat(p.getProperty("model.sha256")).isEqualTo(ModelPackage.sha256(model));
            assertThat(p.getProperty("featureSet.name")).isEqualTo("cmapss-fd001");
            assertThat(p.getProperty("featureSet.features").split(",")).hasSize(29).contains("s11.slope", "cycle.max");
            // a drift to failure this plain is learnt well: the CV error is far below the 125-cycle range
            assertThat(Double.parseDouble(p.getProperty("metrics.rmseAllCycles"))).isLessThan(25);
            Object[] read = SerializationHelper.readAll(new java.io.ByteArrayInputStream(model));
            assertThat(read[0]).isInstanceOf(Classifier.class);
            assertThat(((Instances) read[1]).numAttributes()).isEqualTo(30);
        }
        assertThat(Files.readString(out.resolve("cmapss-fd001-rul-1.0.0.mwmodel.sha256")))
                .startsWith(ModelPackage.sha256(Files.readAllBytes(pkg)));
    }

    @Test
    void simulatedBearingLivesTrainTheDemoModelReproducibly() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<String> options = List.of("--lives", "8", "--folds", "4", "--trees", "20", "--quiet");
        Train.run(concat(List.of("sim", a.toString()), options));
        Train.run(concat(List.of("sim", b.toString()), options));

        Path pkg = a.resolve("pump-bearing-rul-1.0.0.mwmodel");
        assertThat(Files.readAllBytes(pkg)).as("same seed, same package bytes").isEqualTo(Files.readAllBytes(b.resolve(pkg.getFileName())));
        try (ZipFile zip = new ZipFile(pkg.toFile())) {
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(zip.getEntry("model.properties"))) {
                p.load(in);
            }
            assertThat(p.getProperty("model.kind")).isEqualTo("REMAINING_USEFUL_LIFE");
            assertThat(p.getProperty("featureSet.name") + "@" + p.getProperty("featureSet.version")).isEqualTo("pump-bearing@1");
            assertThat(p.getProperty("featureSet.features")).isEqualTo(String.join(",", SimBearing.featureSet().features()));
            // the fault's growth is plain to see in the vibration: hours of error on a 336 h range, urgency mostly right
            assertThat(Double.parseDouble(p.getProperty("metrics.rmseHoursBelowCap"))).isLessThan(30);
            assertThat(Double.parseDouble(p.getProperty("metrics.urgencyAgreement"))).isGreaterThan(0.9);
        }
    }

    @Test
    void anAnomalyModelFromHealthyRunsFiresBeforeHeldOutTripsAndRarelyOnHeldOutHealthyRuns() throws Exception {
        Path a = dir.resolve("anomaly-a");
        Path b = dir.resolve("anomaly-b");
        List<String> options = List.of("--runs", "8", "--weeks", "3", "--eval-lives", "4", "--quiet");
        Train.run(concat(List.of("sim-anomaly", a.toString()), options));
        Train.run(concat(List.of("sim-anomaly", b.toString()), options));
        Path pkg = a.resolve("pump-anomaly-1.0.0.mwmodel");
        assertThat(Files.readAllBytes(pkg)).as("same seed, same package bytes").isEqualTo(Files.readAllBytes(b.resolve(pkg.getFileName())));
        try (ZipFile zip = new ZipFile(pkg.toFile())) {
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(zip.getEntry("model.properties"))) {
                p.load(in);
            }
            assertThat(zip.getEntry("model.weka")).as("no Java serialization").isNull();
            assertThat(p.getProperty("model.kind")).isEqualTo("ANOMALY");
            assertThat(p.getProperty("featureSet.features")).isEqualTo(String.join(",", SimBearing.featureSet().features()));
            assertThat(Double.parseDouble(p.getProperty("anomaly.critical"))).isGreaterThan(Double.parseDouble(p.getProperty("anomaly.warning")));
            // held-out bearing lives: on at every trip, and days before it; held-out healthy runs: about the target rate
            assertThat(p.getProperty("metrics.livesAlarmedAtTrip")).isEqualTo("4");
            assertThat(Double.parseDouble(p.getProperty("metrics.leadTimeHoursMin"))).isGreaterThan(48);
            assertThat(Double.parseDouble(p.getProperty("metrics.falseAlarmsPerAssetWeek"))).isLessThan(0.5);
            assertThat(p.getProperty("reference.speed.mean")).as("the training reference, for drift").isNotEmpty();
        }
        assertThatThrownBy(() -> Train.run(List.of("sim-anomaly", a.toString(), "--runs", "1"))).hasMessageContaining("--runs 1: must be 2.0..10000.0");
    }

    @Test
    void aSimulatedLifeEndsAtTheTripWithTheRemainingLifeFallingToZero() {
        SimBearing.Life life = SimBearing.life(3, 1.0, new io.millwright.features.FeatureExtractor(SimBearing.featureSet()));
        List<Double> hours = life.hoursLeft();
        // 30 plant days at nominal speed: 300 ticks of 8640 s; 20 s windows every 5 s
        assertThat(hours.size()).isBetween(50, 60);
        assertThat(hours.get(0)).isEqualTo(SimBearing.CAP_HOURS);
        assertThat(hours.get(hours.size() - 1)).isLessThan(5 * SimBearing.ACCELERATION / 3600);
        for (int i = 1; i < hours.size(); i++) {
            assertThat(hours.get(i)).isLessThanOrEqualTo(hours.get(i - 1));
        }
    }

    @Test
    void aJournalWithFailureLabelsTrainsAModelAndCensorsWhatNoFailureFollows() throws Exception {
        // a gateway's journal: the demo plant through ingest, 1000 ticks of 8640 plant seconds (three bearing lives)
        Path journalDir = dir.resolve("journal");
        io.millwright.journal.mapdb.internal.MapDbJournal journal = new io.millwright.journal.mapdb.internal.MapDbJournal(
                new io.millwright.journal.mapdb.internal.Settings(journalDir, java.time.Duration.ofMillis(20), 100_000, 1L << 30, 4096),
                java.time.Clock.systemUTC());
        io.millwright.ingest.internal.SampleIngest ingest = new io.millwright.ingest.internal.SampleIngest(journal,
                new io.millwright.ingest.internal.SampleIngest.Config() {
                    @Override public Class<? extends java.lang.annotation.Annotation> annotationType() {
                        return io.millwright.ingest.internal.SampleIngest.Config.class;
                    }
                    @Override public long maxFutureSkewMs() { return 300_000; }
                });
        io.millwright.simulator.plant.SimulatedPlant plant = new io.millwright.simulator.plant.SimulatedPlant(5, "pump-1", 30 * 86_400, 86_400);
        long t0 = 1_790_000_000L * 1_000_000L;
        List<Long> trips = new java.util.ArrayList<>();
        boolean running = true;
        for (int tick = 0; tick < 1000; tick++) {
            long t = t0 + tick * 1_000_000L;
            List<io.millwright.api.Sample> samples = plant.tick(8640, t, tick % 5 == 0 ? 4096 : 0, 4096);
            boolean now = plant.asset("pump-1").orElseThrow().running();
            if (running && !now) {
                trips.add(t);
            }
            running = now;
            while (ingest.submit(new io.millwright.api.SampleBatch("sim", samples)) != io.millwright.ingest.api.SubmitResult.ACCEPTED) {
                Thread.sleep(5);
            }
        }
        while (journal.statistics().pendingSamples() > 0) {
            Thread.sleep(10);
        }
        journal.close();
        assertThat(trips).as("bearing failures in 1000 ticks").hasSize(3);
        byte[] before = Files.readAllBytes(journalDir.resolve("journal.db"));

        // the recorded trip channel gives the same failures the plant had
        assertThat(JournalTraining.labelsFromChannel(journalDir, "pump-1/trip_reason").lines().skip(1).toList())
                .containsExactly(trips.stream().map(t -> "pump-1," + iso(t) + ",failure").toArray(String[]::new));

        // a maintenance record between the first and the second failure: the windows before it are censored
        long maintenance = (trips.get(0) + trips.get(1)) / 2;
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "asset,time,event\n"
                + "pump-1," + iso(trips.get(0)) + ",failure\n"
                + "pump-1," + iso(maintenance) + ",maintenance\n"
                + "pump-1," + iso(trips.get(1)) + ",failure\n"
                + "pump-1," + iso(trips.get(2)) + ",failure\n");
        Path out = dir.resolve("journal-out");
        List<String> setOptions = List.of("--feature-set", "pump-bearing@1", "--window", "20", "--hop", "5", "--features",
                String.join(",", SimBearing.featureSet().features()), "--assets", "pump-1");
        Train.run(concat(concat(List.of("journal", journalDir.toString(), labels.toString(), out.toString()), setOptions),
                List.of("--model-id", "pump-bearing-rul", "--cap-hours", "336", "--time-scale", "8640", "--folds", "2", "--trees", "10", "--quiet")));

        // what the journal held: every 20 s window every 5 s; labelled are those before a failure with no maintenance between
        List<io.millwright.analytics.api.FeatureVector> windows = JournalTraining.readFeatures(journalDir, SimBearing.featureSet(), java.util.Set.of("pump-1"),
                new Progress(true)).get("pump-1");
        long expected = windows.stream().map(w -> w.window().toMicros())
                .filter(end -> end <= trips.get(0) || end > maintenance && end <= trips.get(1) || end > trips.get(1) && end <= trips.get(2)).count();
        assertThat(expected).isLessThan(windows.size());
        try (ZipFile zip = new ZipFile(out.resolve("pump-bearing-rul-1.0.0.mwmodel").toFile())) {
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(zip.getEntry("model.properties"))) {
                p.load(in);
            }
            assertThat(p.getProperty("metrics.trainingRows")).isEqualTo(Long.toString(expected));
            assertThat(p.getProperty("featureSet.name") + "@" + p.getProperty("featureSet.version")).isEqualTo("pump-bearing@1");
            assertThat(p.getProperty("metrics.cv")).isEqualTo("2-fold grouped by life");
        }
        // an anomaly model from the same journal's healthy windows only: running, and two weeks or more before a failure or
        // the maintenance; it never sees a failing bearing, yet the last window before each trip lies beyond its threshold
        Path anomalyOut = dir.resolve("anomaly-out");
        Train.run(concat(concat(List.of("anomaly", journalDir.toString(), labels.toString(), anomalyOut.toString()), setOptions),
                List.of("--time-scale", "8640", "--running-tag", "running", "--quiet")));
        try (ZipFile zip = new ZipFile(anomalyOut.resolve("pump-bearing-anomaly-1.0.0.mwmodel").toFile())) {
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(zip.getEntry("model.properties"))) {
                p.load(in);
            }
            assertThat(p.getProperty("model.kind")).isEqualTo("ANOMALY");
            long healthy = windows.stream().map(w -> w.window().toMicros()).filter(end -> trips.stream().anyMatch(t -> t >= end)
                    && (java.util.stream.Stream.concat(trips.stream(), java.util.stream.Stream.of(maintenance)).filter(t -> t >= end).min(Long::compare)
                            .orElseThrow() - end) / 1e6 * 8640 / 3600 >= 336).count();
            assertThat(Long.parseLong(p.getProperty("metrics.trainingRows"))).as("healthy windows that ran throughout").isPositive()
                    .isLessThanOrEqualTo(healthy);
            io.millwright.features.Mahalanobis model;
            try (InputStream in = zip.getInputStream(zip.getEntry("model.mahalanobis"))) {
                model = io.millwright.features.Mahalanobis.parse(in.readAllBytes());
            }
            double warning = Double.parseDouble(p.getProperty("anomaly.warning"));
            for (long trip : trips) {
                io.millwright.analytics.api.FeatureVector last = windows.stream().filter(w -> w.window().toMicros() <= trip)
                        .max(java.util.Comparator.comparingLong(w -> w.window().toMicros())).orElseThrow();
                assertThat(model.distance(last.values())).as("the window before the trip at " + iso(trip)).isGreaterThan(warning);
            }
        }
        // reading it for training changed nothing: no cursor left behind (the budget would count entries behind it as lost)
        assertThat(Files.readAllBytes(journalDir.resolve("journal.db"))).as("journal.db untouched by training").isEqualTo(before);
        io.millwright.journal.mapdb.internal.MapDbJournal reopened = new io.millwright.journal.mapdb.internal.MapDbJournal(
                new io.millwright.journal.mapdb.internal.Settings(journalDir, java.time.Duration.ofMillis(20), 100_000, 1L << 30, 4096),
                java.time.Clock.systemUTC());
        try {
            assertThat(reopened.statistics().cursors()).extracting(io.millwright.journal.api.CursorStatistics::name).doesNotContain("training");
        } finally {
            reopened.close();
        }
    }

    @Test
    void badLabelsAndJournalOptionsAreNamed() throws Exception {
        Path labels = dir.resolve("bad.csv");
        Files.writeString(labels, "asset,time,event\npump-1,yesterday,failure\n");
        assertThatThrownBy(() -> JournalTraining.readLabels(labels)).hasMessageContaining("line 2").hasMessageContaining("'yesterday'");
        Files.writeString(labels, "pump-1,2026-11-22T10:00:00Z,broke\n");
        assertThatThrownBy(() -> JournalTraining.readLabels(labels)).hasMessageContaining("event 'broke'");
        assertThatThrownBy(() -> JournalTraining.spec(List.of("--feature-set", "x", "--window", "20", "--hop", "5", "--features", "speed.mean"),
                new java.util.ArrayList<>())).hasMessageContaining("--assets");
        assertThatThrownBy(() -> JournalTraining.spec(List.of("--feature-set", "x", "--window", "20", "--hop", "5", "--features", "speed.average",
                "--assets", "p"), new java.util.ArrayList<>())).hasMessageContaining("speed.average");
        assertThatThrownBy(() -> Train.run(List.of("journal", dir.toString(), dir.resolve("none.csv").toString(), dir.toString())))
                .hasMessageContaining("labels file");
    }

    private static String iso(long micros) {
        return java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000).toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void groupedFoldsNeverSplitAUnit() throws Exception {
        Path f = dir.resolve("train.txt");
        Files.writeString(f, engines(12, 3));
        LabelledRows rows = Cmapss.table(Cmapss.read(f), new io.millwright.features.FeatureExtractor(Cmapss.featureSet()));
        int[] fold = GroupedCrossValidation.assign(rows, 5, 1);
        Map<Integer, Set<Integer>> foldsOfUnit = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            foldsOfUnit.computeIfAbsent(rows.groups()[i], u -> new HashSet<>()).add(fold[i]);
        }
        assertThat(foldsOfUnit).hasSize(12).allSatisfy((unit, folds) -> assertThat(folds).as("folds of unit " + unit).hasSize(1));
        assertThat(new HashSet<>(java.util.Arrays.stream(fold).boxed().toList())).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(java.util.Arrays.stream(rows.labels()).min().orElseThrow()).isZero();
        assertThat(java.util.Arrays.stream(rows.labels()).max().orElseThrow()).isEqualTo(125.0);
    }

    @Test
    void ai4iReadsThePhysicsAndClassifies() throws Exception {
        StringBuilder csv = new StringBuilder("\uFEFFUDI,Product ID,Type,Air temperature [K],Process temperature [K],Rotational speed [rpm],"
                + "Torque [Nm],Tool wear [min],Machine_failure,TWF,HDF,PWF,OSF,RNF\n");
        java.util.Random r = new java.util.Random(5);
        for (int i = 1; i <= 600; i++) {
            double torque = 20 + r.nextDouble() * 50;
            double rpm = 1300 + r.nextDouble() * 1200;
            double power = torque * rpm * 2 * Math.PI / 60;
            int failure = power < 3500 || power > 9000 ? 1 : 0; // the documented power-failure rule
            csv.append(String.format(Locale.ROOT, "%d,L%d,L,298.0,308.5,%.0f,%.1f,%d,%d,0,0,%d,0,0%n", i, i, rpm, torque, i % 200, failure, failure));
        }
        Path file = dir.resolve("ai4i.csv");
        Files.writeString(file, csv);
        LabelledRows rows = Ai4i.read(file);
        assertThat(rows.size()).isEqualTo(600);
        double[] first = rows.features()[0];
        assertThat(first[rows.featureNames().indexOf("power.mean")]).isCloseTo(first[4] * first[3] * 2 * Math.PI / 60, within(1e-9));
        assertThat(first[rows.featureNames().indexOf("temp_diff.mean")]).isCloseTo(10.5, within(1e-9));
        Path out = dir.resolve("out");
        Train.run(List.of("ai4i", file.toString(), out.toString(), "--trees", "20", "--quiet"));
        Properties p = new Properties();
        try (ZipFile zip = new ZipFile(out.resolve("ai4i-failure-1.0.0.mwmodel").toFile());
                InputStream in = zip.getInputStream(zip.getEntry("model.properties"))) {
            p.load(in);
        }
        assertThat(Double.parseDouble(p.getProperty("metrics.failureF1"))).as("a rule on the power feature is learnt").isGreaterThan(0.8);
        assertThat(p.getProperty("model.kind")).isEqualTo("FAILURE_CLASSIFICATION");
    }

    @Test
    void metricsFollowTheirDefinitions() {
        assertThat(Metrics.rmse(new double[] {0, 0}, new double[] {3, 4})).isCloseTo(Math.sqrt(12.5), within(1e-12));
        // PHM08: late by 10 costs e − 1, early by 13 costs e − 1
        assertThat(Metrics.phm08(new double[] {50, 50}, new double[] {60, 37})).isCloseTo(2 * (Math.E - 1), within(1e-12));
        assertThat(Metrics.precisionRecallF1(new double[] {1, 1, 0, 0}, new double[] {1, 0, 1, 0}, 1)).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void badInputIsNamed() throws Exception {
        assertThatThrownBy(() -> Train.run(List.of("cmapss", dir.resolve("nowhere").toString(), dir.toString())))
                .hasMessageContaining("nowhere").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Train.run(List.of("ai4i", dir.toString(), dir.toString(), "--algorithm", "xgboost")))
                .hasMessageContaining("xgboost");
        assertThatThrownBy(() -> Train.run(List.of("ai4i", dir.toString(), dir.toString(), "--trees", "many"))).hasMessageContaining("--trees many");
        Path bad = dir.resolve("train_FD001.txt");
        Files.writeString(bad, "1 1 0 0 100 x\n");
        assertThatThrownBy(() -> Cmapss.read(bad)).hasMessageContaining("line 1").hasMessageContaining("6 columns");
    }
}
