package io.millwright.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Starts the gateway jar as a user would (with -Xmx128m, as bin/millwright does) on a fresh data
 * folder and measures the time from process start to the first committed sample, then the heap
 * and resident memory of the demo plant after 30 s; then restarts on one data folder that exists (the usual start:
 * no first-start work such as the admin user and the TLS key).
 */
final class StartupBenchmark {

    private static final Pattern COMMITTED = Pattern.compile("\"committedSamples\":(\\d+)");
    private static final Pattern HEAP = Pattern.compile("\"heapUsedBytes\":(\\d+)");

    private StartupBenchmark() {
    }

    static void run(int runs, Path jar) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalArgumentException("gateway jar " + jar.toAbsolutePath() + " not found: build with mvn -DskipTests package");
        }
        System.out.printf(Locale.ROOT, "startup benchmark: %d runs of %s with -Xmx128m%n", runs, jar);
        List<Long> visible = new ArrayList<>();
        List<Long> committed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            boolean last = i == runs - 1;
            long[] r = once(jar, Files.createTempDirectory("bench-gateway-"), last);
            committed.add(r[0]);
            visible.add(r[1]);
        }
        report("first start (fresh data folder: admin, TLS key) to first sample committed", committed);
        report("first start to first sample shown by the live view (HTTPS, logged in)   ", visible);
        // a gateway's usual start: its data folder exists (the first start above made it)
        Path data = Files.createTempDirectory("bench-gateway-");
        once(jar, data, false);
        List<Long> restartCommitted = new ArrayList<>();
        List<Long> restartVisible = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long[] r = once(jar, data, false);
            restartCommitted.add(r[0]);
            restartVisible.add(r[1]);
        }
        report("restart (data folder exists) to first sample committed                   ", restartCommitted);
        report("restart to the live view answering (HTTPS, logged in)                    ", restartVisible);
    }

    private static void report(String what, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: median %d ms, min %d ms, max %d ms %s%n", what, sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1), millis);
    }

    /** @return ms from process start to the journal's first commit, and to the first sample on the live view */
    private static long[] once(Path jar, Path data, boolean measureMemory) throws Exception {
        int port = GatewayJar.freePort();
        long start = System.nanoTime();
        Process p = GatewayJar.start(jar, data, port, ProcessBuilder.Redirect.to(data.resolve("gateway.log").toFile()));
        GatewayJar.Status status = GatewayJar.status(data, port);
        long firstSample = -1;
        long firstCommit = -1;
        try {
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                String body = status.get();
                if (body != null && GatewayJar.number(COMMITTED, body) > 0) {
                    firstSample = (System.nanoTime() - start) / 1_000_000;
                    break;
                }
                Thread.sleep(20);
            }
            if (firstSample < 0) {
                throw new IllegalStateException("no committed sample within 60 s; see " + data.resolve("gateway.log"));
            }
            long processStart = p.info().startInstant().orElseThrow().toEpochMilli();
            for (int w = 0; w < 50 && firstCommit < 0; w++) {
                for (String line : Files.readAllLines(data.resolve("gateway.log"))) {
                    if (line.contains("journal: first ") && line.contains("samples committed")) {
                        firstCommit = java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' ')),
                                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant().toEpochMilli()
                                - processStart;
                    }
                }
                Thread.sleep(20);
            }
            System.out.printf(Locale.ROOT, "  first sample committed after %d ms, shown by the live view after %d ms%n", firstCommit,
                    firstSample);
            if (measureMemory) {
                long peakHeap = 0;
                for (int s = 0; s < 30; s++) {
                    Thread.sleep(1000);
                    String body = status.get();
                    if (body != null) {
                        peakHeap = Math.max(peakHeap, GatewayJar.number(HEAP, body));
                    }
                }
                long rssKb = Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong).findFirst()
                        .orElse(-1);
                System.out.printf(Locale.ROOT, "  demo plant after 30 s: heap used peak %.1f MiB (sampled each second, -Xmx128m), RSS %.0f MiB%n",
                        peakHeap / 1048576.0, rssKb / 1024.0);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return new long[] {firstCommit, firstSample};
    }
}
