package io.millwright.benchmarks;

import io.millwright.testing.SmallFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The gateway jar (-Xmx128m) with its data folder on a 128 MiB tmpfs (needs root), the demo plant at 20 ms with a
 * 4,096-point vibration block per asset every 200 ms: heap used (sampled every 200 ms from the live view) while the
 * disk has space, then while it is full — the same run, the first phase is the baseline — and the time from freeing
 * space to the journal committing again. {@code java -jar benchmarks/target/benchmarks.jar disk-full [seconds] [jar]}
 */
final class DiskFullBenchmark {

    private static final Pattern COMMITTED = Pattern.compile("\"committedSamples\":(\\d+)");
    private static final Pattern HEAP = Pattern.compile("\"heapUsedBytes\":(\\d+)");

    private DiskFullBenchmark() {
    }

    static void run(int seconds, Path jar) throws Exception {
        SmallFilesystem fs;
        try {
            fs = SmallFilesystem.mount(Files.createTempDirectory("bench-diskfull-"), 128);
        } catch (SmallFilesystem.Unavailable e) {
            System.out.println("disk-full benchmark " + e.getMessage());
            return;
        }
        Path data = fs.root().resolve("data");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc").resolve("io.millwright.simulator.plant~demo.cfg"),
                "scalarIntervalMs=20\nwaveformIntervalMs=200\nwaveformRateHz=4096\nwaveformSeconds=1.0\n");
        Path log = Files.createTempFile("bench-diskfull-", ".log");
        int port = GatewayJar.freePort();
        Process p = GatewayJar.start(jar, data, port, ProcessBuilder.Redirect.to(log.toFile()));
        GatewayJar.Status status = GatewayJar.status(data, port);
        try {
            await(status, "first commits", 90, b -> GatewayJar.number(COMMITTED, b) > 1000);
            Thread.sleep(5000);
            long withSpace = peakHeap(status, seconds);
            fs.leaveFree(0);
            await(status, "DISK_FULL", 60, b -> b.contains("\"state\":\"DISK_FULL\""));
            long full = peakHeap(status, seconds);
            if (!p.isAlive()) {
                throw new IllegalStateException("the gateway died on the full disk; see " + log);
            }
            long committedFull = GatewayJar.number(COMMITTED, status.get());
            fs.freeAll();
            long freed = System.nanoTime();
            await(status, "commits resume", 60, b -> b.contains("\"state\":\"OK\"") && GatewayJar.number(COMMITTED, b) > committedFull);
            double resume = (System.nanoTime() - freed) / 1e6;
            long stopping = System.nanoTime();
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            double stop = (System.nanoTime() - stopping) / 1e6;
            System.out.println();
            System.out.println("| gateway, 20 ms plant with 4,096-point vibration blocks every 200 ms, -Xmx128m | figure |");
            System.out.println("|---|---:|");
            System.out.printf(Locale.ROOT, "| peak heap used, disk with space (%d s, baseline) | %.1f MiB |%n", seconds, withSpace / 1048576.0);
            System.out.printf(Locale.ROOT, "| peak heap used, disk full (%d s) | %.1f MiB (ratio %.2f) |%n", seconds, full / 1048576.0,
                    (double) full / withSpace);
            System.out.printf(Locale.ROOT, "| space freed → samples committed again | %.0f ms |%n", resume);
            System.out.printf(Locale.ROOT, "| SIGTERM → process gone, after the disk was full | %.0f ms |%n", stop);
            String out = Files.readString(log);
            System.out.println("OutOfMemoryError in the log: " + out.contains("OutOfMemoryError"));
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            fs.close();
        }
    }

    private static long peakHeap(GatewayJar.Status status, int seconds) throws InterruptedException {
        long peak = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String b = status.get();
            if (b != null) {
                peak = Math.max(peak, GatewayJar.number(HEAP, b));
            }
            Thread.sleep(200);
        }
        return peak;
    }

    interface Check {
        boolean test(String body);
    }

    private static void await(GatewayJar.Status status, String what, int seconds, Check check) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String b = status.get();
            if (b != null && check.test(b)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
