package io.millwright.benchmarks;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The gateway jar killed with SIGKILL again and again under load (the demo plant at 20 ms with vibration blocks): each
 * time, everything the live view showed as committed before the kill must be in the journal afterwards, and at the
 * end every channel's sequences run from 1 without a hole or a repeat, the journal opens clean, and every start logged
 * the journal's open line. A bounded check, run by hand: {@code java -jar benchmarks/target/benchmarks.jar crash-loop
 * [kills] [gateway jar]}; exits 1 if a check fails.
 */
final class CrashLoop {

    private static final Pattern COMMITTED = Pattern.compile("\"committedSamples\":(\\d+)");

    private CrashLoop() {
    }

    static void run(int kills, Path jar) throws Exception {
        Path data = Files.createTempDirectory("crash-loop-");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc").resolve("io.millwright.simulator.plant~demo.cfg"),
                "scalarIntervalMs=20\nwaveformIntervalMs=200\nwaveformRateHz=2048\nwaveformSeconds=0.5\n");
        Path log = data.resolve("gateway.log");
        SplittableRandom random = new SplittableRandom(20);
        long shownBeforeLastKill = 0;
        System.out.printf(Locale.ROOT, "crash loop: %d × kill -9 of %s under load, data %s%n", kills, jar, data);
        long started = System.nanoTime();
        for (int i = 0; i <= kills; i++) {
            int port = GatewayJar.freePort();
            Process p = GatewayJar.start(jar, data, port, ProcessBuilder.Redirect.appendTo(log.toFile()));
            GatewayJar.Status status = GatewayJar.status(data, port);
            long shown = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                long c = committed(status);
                if (c > shownBeforeLastKill + 500) {
                    shown = c;
                    break;
                }
                Thread.sleep(50);
            }
            if (shown < 0) {
                p.destroyForcibly();
                throw new IllegalStateException("start " + (i + 1) + ": no new commits within 90 s; see " + log);
            }
            if (shown < shownBeforeLastKill) {
                fail("start " + (i + 1) + ": the journal shows " + shown + " committed samples, fewer than the " + shownBeforeLastKill
                        + " shown before the kill");
            }
            Thread.sleep(random.nextInt(200, 1500));
            long last = committed(status);
            shownBeforeLastKill = Math.max(shown, last);
            if (i < kills) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            p.waitFor(60, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        int opens = output.split("journal open at", -1).length - 1;
        Settings settings = new Settings(data.resolve("journal"), Duration.ofMillis(50), 1_000_000, 1L << 40, 4096);
        Map<ChannelId, Long> next = new HashMap<>();
        long samples = 0;
        long holes = 0;
        try (MapDbJournal journal = new MapDbJournal(settings, Clock.systemUTC())) {
            if (!journal.statistics().recovery().isEmpty()) {
                fail("the journal did not reopen clean: " + journal.statistics().recovery());
            }
            if (journal.statistics().committedSamples() < shownBeforeLastKill) {
                fail("committed " + journal.statistics().committedSamples() + " < " + shownBeforeLastKill + " shown before the stop");
            }
            try (JournalCursor cursor = journal.openCursor("crash-loop-check", StartAt.EARLIEST)) {
                while (true) {
                    JournalRead r = cursor.read(100_000);
                    if (r.entries().isEmpty()) {
                        break;
                    }
                    for (JournalEntry e : r.entries()) {
                        for (Sample s : e.samples()) {
                            long expected = next.getOrDefault(s.channel(), 1L);
                            if (s.sequence() != expected) {
                                holes++;
                            }
                            next.put(s.channel(), s.sequence() + 1);
                            samples++;
                        }
                    }
                    cursor.advance(r.nextPosition());
                }
            }
        }
        System.out.printf(Locale.ROOT, "crash loop: %d kills in %.0f s; %,d samples in %d channels, %d sequence holes or repeats;"
                + " %d of %d starts logged the journal's open line%n", kills, (System.nanoTime() - started) / 1e9, samples, next.size(), holes,
                opens, kills + 1);
        if (holes > 0 || opens != kills + 1) {
            fail("sequence holes or missing journal log lines; data kept in " + data);
        }
    }

    private static long committed(GatewayJar.Status status) {
        return GatewayJar.number(COMMITTED, status.get());
    }

    private static void fail(String message) {
        System.out.println("crash loop FAILED: " + message);
        System.exit(1);
    }
}
