package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.UrgencyPolicy;
import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.WindowAssembler;
import io.millwright.features.internal.FeatureStream;
import io.millwright.ingest.internal.SampleIngest;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.simulator.plant.SimulatedAsset;
import io.millwright.simulator.plant.SimulatedPlant;
import io.millwright.training.Train;
import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipInputStream;
import weka.classifiers.Classifier;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.SerializationHelper;

/**
 * Scoring, measured three ways in one run (in the scoring bundle's package, to reach its package-private model
 * classes as its unit tests do):
 *
 * <ol>
 * <li>end to end in the gateway's code path: a MapDB journal holding {@code assets} simulated pumps' data (the
 * demo's channels and timing), the streaming feature component reading it through its cursor, computing the demo's
 * feature set every second per asset, scoring each window with the demo's Weka model and writing features, result,
 * urgency and lineage back through ingest — windows/s and scores/s, against the same run without a model;</li>
 * <li>per score: our {@code ScoringModel} (validation of the vector, Weka, urgency, lineage) against Weka's
 * {@code classifyInstance} on the same instances;</li>
 * <li>the pause of a switch: one thread scoring back to back while version 2 is offered, scores in shadow and takes
 * over — the slowest score call around the switch against the slowest in steady state.</li>
 * </ol>
 * Both model versions are trained first, by the training tool, from the simulated plant (about 10 s).
 */
public final class ScoringBenchmark {

    /** the benchmark trains its own packages: loaded unsigned (the development flag), the signature is not what is measured */
    private static final SignedPackage.Rules UNSIGNED = new SignedPackage.Rules(1L << 30, new ModelTrust(List.of(), null), true);


    private static final long SECOND = 1_000_000L;

    private ScoringBenchmark() {
    }

    /**
     * @param seconds measuring time of the per-score comparison
     * @param assets simulated pumps in the journal
     * @param hours hours of data per pump
     */
    public static void run(int seconds, int assets, int hours) throws Exception {
        System.setProperty("WEKA_HOME", Files.createTempDirectory("bench-weka-").toString());
        Path models = Files.createTempDirectory("bench-models-");
        Train.run(List.of("sim", models.toString(), "--version", "1.0.0", "--lives", "40", "--quiet"));
        Train.run(List.of("sim", models.toString(), "--version", "2.0.0", "--seed", "7", "--lives", "40", "--quiet"));
        byte[] v1 = Files.readAllBytes(models.resolve("pump-bearing-rul-1.0.0.mwmodel"));
        byte[] v2 = Files.readAllBytes(models.resolve("pump-bearing-rul-2.0.0.mwmodel"));
        PackagedModel model = PackagedModel.load("bench v1", v1, UrgencyPolicy.DEFAULT, UNSIGNED);
        FeatureSetDefinition set = model.featureSet();
        System.out.printf(Locale.ROOT, "scoring benchmark: model %s %s (%s), %d assets x %d h of simulated pump data%n", model.id(), model.version(),
                set.id(), assets, hours);

        double[] withoutModel = endToEnd(set, null, assets, hours);
        double[] withModel = endToEnd(set, new ModelSlot(model, 3), assets, hours);
        System.out.printf(Locale.ROOT, "end to end (journal -> features -> scoring -> ingest -> journal), one feature thread:%n");
        System.out.printf(Locale.ROOT, "  features only:       %,10.0f windows/s  (%,d windows in %.2f s)%n", withoutModel[0] / withoutModel[2],
                (long) withoutModel[0], withoutModel[2]);
        System.out.printf(Locale.ROOT, "  features + scoring:  %,10.0f windows/s, %,10.0f scores/s  (%,d windows in %.2f s)  ratio %.2f%n",
                withModel[0] / withModel[2], withModel[1] / withModel[2], (long) withModel[0], withModel[2],
                (withModel[0] / withModel[2]) / (withoutModel[0] / withoutModel[2]));

        List<FeatureVector> vectors = vectors(set, 1, hours);
        perScore(model, v1, vectors, seconds);
        switchPause(model, PackagedModel.load("bench v2", v2, UrgencyPolicy.DEFAULT, UNSIGNED), vectors);
        delete(models);
    }

    /** @return {windows, scores, seconds} */
    private static double[] endToEnd(FeatureSetDefinition set, ModelSlot model, int assets, int hours) throws Exception {
        Path dir = Files.createTempDirectory("bench-scoring-journal-");
        MapDbJournal journal = new MapDbJournal(new Settings(dir, Duration.ofMillis(50), 2_000_000, 1L << 40, 4096), Clock.systemUTC());
        SampleIngest ingest = new SampleIngest(journal, ingestConfig());
        try {
            FeatureStream stream = new FeatureStream(journal, ingest, streamConfig(set, assets));
            stream.deactivate(); // created once so that its cursor exists before the data: it must read all of it
            long t0 = System.currentTimeMillis() * 1000 - hours * 3600 * SECOND - 600 * SECOND;
            for (int a = 1; a <= assets; a++) {
                String asset = "pump-" + a;
                simulate(a, hours, t0, batch -> {
                    List<Sample> renamed = new ArrayList<>(batch.size());
                    for (Sample s : batch) {
                        renamed.add(Sample.of(new ChannelId(asset, s.channel().tag()), s.sourceTimeMicros(), s.value(), s.quality()));
                    }
                    while (ingest.submit(new SampleBatch("bench", renamed)) == SubmitResult.OVERRUN) {
                        sleep(5);
                    }
                });
            }
            while (journal.statistics().pendingSamples() > 0) {
                sleep(20);
            }
            // every asset's data ends with windows that no later sample completes: wait until the count stops growing
            long atLeast = (long) assets * (hours * 3600L - 25);
            long start = System.nanoTime();
            stream = new FeatureStream(journal, ingest, streamConfig(set, assets));
            if (model != null) {
                stream.addModel(model);
            }
            long last = -1;
            long lastChange = start;
            while (stream.windows() < atLeast || System.nanoTime() - lastChange < 1_000_000_000L) {
                long w = stream.windows();
                if (w != last) {
                    last = w;
                    lastChange = System.nanoTime();
                }
                sleep(2);
            }
            double secs = (lastChange - start) / 1e9;
            long windows = stream.windows();
            long scores = stream.scores();
            stream.deactivate();
            return new double[] {windows, scores, secs};
        } finally {
            journal.close();
            delete(dir);
        }
    }

    private static void perScore(PackagedModel model, byte[] pkg, List<FeatureVector> vectors, int seconds) throws Exception {
        Object[] raw = rawWeka(pkg);
        Classifier classifier = (Classifier) raw[0];
        Instances header = (Instances) raw[1];
        List<DenseInstance> instances = new ArrayList<>();
        for (FeatureVector v : vectors) {
            double[] x = Arrays.copyOf(v.values(), header.numAttributes());
            x[x.length - 1] = weka.core.Utils.missingValue();
            DenseInstance in = new DenseInstance(1.0, x);
            in.setDataset(header);
            instances.add(in);
        }
        ModelSlot slot = new ModelSlot(model, 3);
        double rawNs = 0;
        double oursNs = 0;
        double[] sink = new double[1];
        Runnable rawPass = () -> {
            try {
                for (DenseInstance in : instances) {
                    sink[0] += classifier.classifyInstance(in);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Runnable oursPass = () -> {
            for (FeatureVector v : vectors) {
                sink[0] += slot.score(v).result();
            }
        };
        int rounds = 5; // round 0 warms up; then the two sides take turns going first
        long budget = seconds * 1_000_000_000L / (2L * (rounds - 1));
        for (int round = 0; round < rounds; round++) {
            boolean rawFirst = round % 2 == 0;
            double a = nsPerScore(rawFirst ? rawPass : oursPass, vectors.size(), budget);
            double b = nsPerScore(rawFirst ? oursPass : rawPass, vectors.size(), budget);
            if (round > 0) {
                rawNs += (rawFirst ? a : b) / (rounds - 1);
                oursNs += (rawFirst ? b : a) / (rounds - 1);
            }
        }
        System.out.printf(Locale.ROOT, "per score (%d vectors of the demo's data, %d s in all, 4 alternating rounds after a warm-up):%n", vectors.size(),
                seconds);
        System.out.printf(Locale.ROOT, "  raw Weka classifyInstance (instances prebuilt): %,8.2f us/score  %,10.0f scores/s%n", rawNs / 1000, 1e9 / rawNs);
        System.out.printf(Locale.ROOT,
                "  Millwright ScoringModel (checks, instance, Weka, urgency, lineage): %,8.2f us/score  %,10.0f scores/s  difference %+.2f us (speed ratio %.2f)%n",
                oursNs / 1000, 1e9 / oursNs, (oursNs - rawNs) / 1000, rawNs / oursNs);
        if (sink[0] == 42) {
            System.out.println();
        }
    }

    private static double nsPerScore(Runnable pass, int perPass, long budgetNs) {
        long n = 0;
        long start = System.nanoTime();
        long end = start + budgetNs;
        while (System.nanoTime() < end) {
            pass.run();
            n += perPass;
        }
        return (System.nanoTime() - start) / (double) n;
    }

    private static void switchPause(PackagedModel v1, PackagedModel v2, List<FeatureVector> vectors) throws Exception {
        ModelSlot slot = new ModelSlot(v1, 3);
        System.out.printf(Locale.ROOT, "switch (offer a version, 3 shadow scores, swap) while one thread scores back to back:%n");
        switchOnce(slot, v2, vectors, "first switch in this JVM, 1.0.0 -> 2.0.0 (cold code paths)");
        switchOnce(slot, v1, vectors, "second switch, 2.0.0 -> 1.0.0");
        switchOnce(slot, v2, vectors, "third switch, 1.0.0 -> 2.0.0");
    }

    private static void switchOnce(ModelSlot slot, PackagedModel next, List<FeatureVector> vectors, String what) throws Exception {
        int max = 2_000_000;
        long[] startNs = new long[max];
        long[] tookNs = new long[max];
        String[] version = new String[max];
        AtomicBoolean running = new AtomicBoolean(true);
        int[] count = new int[1];
        Thread scorer = new Thread(() -> {
            int i = 0;
            while (running.get() && i < max) {
                FeatureVector v = vectors.get(i % vectors.size());
                long s = System.nanoTime();
                Score score = slot.score(v);
                tookNs[i] = System.nanoTime() - s;
                startNs[i] = s;
                version[i] = score.modelVersion();
                i++;
            }
            count[0] = i;
        }, "bench-scorer");
        scorer.start();
        sleep(1500);
        long offeredAt = System.nanoTime();
        slot.offer(next);
        sleep(1000);
        running.set(false);
        scorer.join();
        int n = count[0];
        int first = -1;
        for (int i = 0; i < n && first < 0; i++) {
            first = startNs[i] > offeredAt && version[i].equals(next.version()) ? i : -1;
        }
        if (first < 0) {
            System.out.println("  " + what + ": " + next.version() + " never took over");
            return;
        }
        long stale = java.util.stream.IntStream.range(first, n).filter(i -> !version[i].equals(next.version())).count();
        List<Long> steadyList = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (startNs[i] < offeredAt - 200_000_000L && startNs[i] > offeredAt - 1_200_000_000L) {
                steadyList.add(tookNs[i]);
            }
        }
        long[] steady = steadyList.stream().mapToLong(Long::longValue).sorted().toArray();
        long aroundMax = 0;
        for (int i = Math.max(0, first - 10); i < Math.min(n, first + 10); i++) {
            aroundMax = Math.max(aroundMax, tookNs[i]);
        }
        System.out.printf(Locale.ROOT, "  %s: first score by the new version %.3f ms after the offer, %d by the old one after it; slowest score"
                + " within 10 calls of the swap %.1f us; steady state before: median %.1f us, p99 %.1f us, slowest %.1f us%n", what,
                (startNs[first] - offeredAt) / 1e6, stale, aroundMax / 1e3, steady[steady.length / 2] / 1e3, steady[(int) (steady.length * 0.99)] / 1e3,
                steady[steady.length - 1] / 1e3);
    }

    /** The demo plant's pump-1 samples, one tick per second, a vibration block every fifth. */
    private static void simulate(long seed, int hours, long t0, java.util.function.Consumer<List<Sample>> out) {
        SimulatedPlant plant = new SimulatedPlant(seed, "pump-1", 30 * 86_400, 86_400);
        long ticks = hours * 3600L;
        for (long tick = 0; tick < ticks; tick++) {
            List<Sample> samples = plant.tick(8640, t0 + tick * SECOND, tick % 5 == 0 ? 4096 : 0, 4096);
            out.accept(samples.stream().filter(s -> s.channel().asset().equals("pump-1")).toList());
        }
    }

    private static List<FeatureVector> vectors(FeatureSetDefinition set, int seed, int hours) {
        FeatureExtractor extractor = new FeatureExtractor(set);
        List<FeatureVector> out = new ArrayList<>();
        WindowAssembler windows = new WindowAssembler(set.windowMicros(), set.hopMicros(), w -> out.add(extractor.extract("pump-1", w.range(), w.channels())));
        long[] position = new long[1];
        simulate(seed, Math.min(hours, 1), 1_700_000_000L * SECOND, batch -> {
            for (Sample s : batch) {
                if (extractor.tags().contains(s.channel().tag())) {
                    windows.accept(s.channel().tag(), s.sourceTimeMicros(), s.value(), position[0]);
                }
            }
            position[0]++;
        });
        return out;
    }

    private static Object[] rawWeka(byte[] pkg) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(pkg))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("model.weka")) {
                    return SerializationHelper.readAll(new ByteArrayInputStream(zip.readAllBytes()));
                }
            }
        }
        throw new IllegalStateException("no model.weka in the package");
    }

    private static FeatureStream.Config streamConfig(FeatureSetDefinition set, int assets) {
        String[] names = new String[assets];
        for (int a = 0; a < assets; a++) {
            names[a] = "pump-" + (a + 1);
        }
        return new FeatureStream.Config() {
            @Override public Class<? extends Annotation> annotationType() { return FeatureStream.Config.class; }
            @Override public String featureSet() { return set.name(); }
            @Override public int version() { return set.version(); }
            @Override public int windowSeconds() { return (int) (set.windowMicros() / SECOND); }
            @Override public int hopSeconds() { return 1; }
            @Override public String[] features() { return set.features().toArray(new String[0]); }
            @Override public String[] assets() { return names; }
            @Override public int pollIntervalMs() { return 10; }
            @Override public String runningTag() { return ""; }
        };
    }

    private static SampleIngest.Config ingestConfig() {
        return new SampleIngest.Config() {
            @Override public Class<? extends Annotation> annotationType() { return SampleIngest.Config.class; }
            @Override public long maxFutureSkewMs() { return 86_400_000; }
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
