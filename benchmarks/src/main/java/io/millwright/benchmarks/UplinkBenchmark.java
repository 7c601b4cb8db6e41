package io.millwright.benchmarks;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.Waveform;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import io.millwright.journal.mapdb.internal.Settings;
import io.millwright.uplink.mqtt.internal.MqttUplink;
import io.millwright.uplink.mqtt.internal.Payloads;
import io.millwright.uplink.mqtt.internal.SendWindow;
import io.millwright.uplink.mqtt.internal.UplinkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Uplink delivery to a local broker (QoS 1): the uplink draining a journal backlog, side by side with
 * a raw Paho publisher sending the identical payloads with the same in-flight window; and the drain
 * of the backlog a 10-minute outage leaves at the demo plant's rate.
 */
final class UplinkBenchmark {

    private static final int MAX_IN_FLIGHT = 32;
    private static final int BATCH = 2000;
    private static final long MESSAGE_BYTES = 256 * 1024;

    private UplinkBenchmark() {
    }

    static void run(String broker) throws Exception {
        System.out.printf(Locale.ROOT, "uplink benchmark against %s (QoS 1, %d in flight, %d samples / %d KiB per message)%n", broker,
                MAX_IN_FLIGHT, BATCH, MESSAGE_BYTES / 1024);
        Path scalarJournal = Files.createTempDirectory("bench-uplink-");
        long scalars = fill(scalarJournal, UplinkBenchmark::scalarLoad, 2_000);
        System.out.println("warm-up round (not counted):");
        drain(broker, scalarJournal, scalars, "  uplink");
        rawPaho(broker, scalarJournal);
        System.out.println("measured round:");
        double uplink = drain(broker, scalarJournal, scalars, "  uplink");
        double raw = rawPaho(broker, scalarJournal);
        System.out.printf(Locale.ROOT, "| uplink (journal → MQTT, cursor on PUBACK) | %,.0f samples/s |%n", uplink);
        System.out.printf(Locale.ROOT, "| raw Paho, same payloads, same window    | %,.0f samples/s |%n", raw);
        System.out.printf(Locale.ROOT, "uplink / raw Paho = %.2f%n", uplink / raw);

        Path demoJournal = Files.createTempDirectory("bench-uplink-demo-");
        long demo = fill(demoJournal, UplinkBenchmark::demoOutage, 600);
        double demoRate = demo / 600.0;
        drain(broker, demoJournal, demo, "10-minute outage at the demo plant's rate (" + String.format(Locale.ROOT, "%.1f", demoRate)
                + " samples/s, 3 vibration blocks of 4096 points every 5 s)");
    }

    interface Load {
        List<SampleBatch> batch(int i);
    }

    /** 200 channels, batches of 1000 scalar samples: 1000 batches = 1,000,000 samples. */
    private static List<SampleBatch> scalarLoad(int i) {
        if (i >= 1000) {
            return List.of();
        }
        SplittableRandom r = new SplittableRandom(i);
        long t = (System.currentTimeMillis() - 3_600_000) * 1000 + i * 50_000L;
        List<Sample> s = new ArrayList<>(1000);
        for (int k = 0; k < 1000; k++) {
            ChannelId ch = new ChannelId("machine-" + (k % 200) / 20, "tag_" + k % 200);
            s.add(new Sample(ch, 0, t + k / 200 * 10_000L, t + 50, Value.of(Math.round(r.nextDouble(0, 100) * 1000) / 1000.0), Quality.GOOD));
        }
        return List.of(new SampleBatch("bench", s));
    }

    /** The demo plant for 600 s: 29 scalar channels each second, 3 vibration blocks (4096 points) every 5 s. */
    private static List<SampleBatch> demoOutage(int second) {
        if (second >= 600) {
            return List.of();
        }
        SplittableRandom r = new SplittableRandom(second);
        long t = (System.currentTimeMillis() - 700_000) * 1000 + second * 1_000_000L;
        List<Sample> s = new ArrayList<>();
        String[] assets = {"pump-1", "motor-1", "compressor-1"};
        for (int k = 0; k < 29; k++) {
            s.add(new Sample(new ChannelId(assets[k % 3], "tag_" + k), 0, t, t + 50, Value.of(r.nextDouble(0, 100)), Quality.GOOD));
        }
        if (second % 5 == 0) {
            for (String a : assets) {
                double[] p = new double[4096];
                for (int i = 0; i < p.length; i++) {
                    p[i] = Math.sin(i * 0.1) + r.nextGaussian() * 0.1;
                }
                s.add(new Sample(new ChannelId(a, "vibration"), 0, t, t + 50, new Waveform(p, 4096), Quality.GOOD));
            }
        }
        return List.of(new SampleBatch("bench", s));
    }

    private static long fill(Path dir, Load load, int max) throws Exception {
        try (MapDbJournal journal = new MapDbJournal(settings(dir), Clock.systemUTC())) {
            long n = 0;
            for (int i = 0; i < max; i++) {
                List<SampleBatch> batches = load.batch(i);
                if (batches.isEmpty()) {
                    break;
                }
                for (SampleBatch b : batches) {
                    while (!journal.append(b).accepted()) {
                        Thread.sleep(5);
                    }
                    n += b.size();
                }
            }
            while (journal.statistics().committedSamples() < n) {
                Thread.sleep(10);
            }
            return n;
        }
    }

    private static Settings settings(Path dir) {
        return new Settings(dir, Duration.ofMillis(50), 500_000, 1L << 40, 4096);
    }

    private static UplinkSettings uplinkSettings(String broker) {
        return new UplinkSettings(broker, 3, "millwright-bench-" + System.nanoTime(), "bench", "millwright/v1", "", new char[0], BATCH,
                MESSAGE_BYTES, SendWindow.Order.OLDEST_FIRST, Duration.ofMillis(200), MAX_IN_FLIGHT, 0, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofMillis(500), Duration.ofSeconds(5), "", new char[0], "", new char[0]);
    }

    private static double drain(String broker, Path dir, long samples, String what) throws Exception {
        try (MapDbJournal journal = new MapDbJournal(settings(dir), Clock.systemUTC())) {
            long end = journal.statistics().endPosition();
            long bytes = journal.statistics().payloadBytes();
            long start = System.nanoTime();
            try (JournalCursor cursor = journal.openCursor("uplink-mqtt", StartAt.EARLIEST)) {
                cursor.advance(journal.statistics().firstPosition()); // every round drains the whole journal
            } // given back: the uplink holds it from here (one holder per cursor); its position is read from the statistics
            MqttUplink uplink = new MqttUplink(uplinkSettings(broker), journal, List::of, () -> null, Clock.systemUTC());
            try {
                while (uplinkPosition(journal) < end) {
                    if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                        throw new IllegalStateException("not drained within 10 minutes: " + uplink.status());
                    }
                    Thread.sleep(10);
                }
            } finally {
                uplink.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = samples / seconds;
            System.out.printf(Locale.ROOT, "%s: %,d samples (%.1f MiB journal payload) drained in %.2f s = %,.0f samples/s%n", what, samples,
                    bytes / 1048576.0, seconds, rate);
            return rate;
        }
    }

    private static long uplinkPosition(MapDbJournal journal) {
        return journal.statistics().cursors().stream().filter(c -> c.name().equals("uplink-mqtt")).mapToLong(c -> c.position()).findFirst()
                .orElse(-1);
    }

    private static double rawPaho(String broker, Path dir) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        long samples = 0;
        long encodeStart = System.nanoTime();
        try (MapDbJournal journal = new MapDbJournal(settings(dir), Clock.systemUTC())) {
            JournalCursor c = journal.openCursor("bench-encode", StartAt.EARLIEST);
            SendWindow w = new SendWindow();
            w.reset(c.position());
            SendWindow.Batch b;
            while ((b = w.next(c, BATCH, MESSAGE_BYTES)) != null) {
                payloads.add(Payloads.telemetry("bench", b));
                samples += b.samples().size();
            }
        }
        double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;
        System.out.printf(Locale.ROOT, "journal read + JSON encoding alone (one thread): %,.0f samples/s%n", samples / encodeSeconds);
        MqttAsyncClient client = new MqttAsyncClient(broker, "raw-bench-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(MAX_IN_FLIGHT + 16);
        client.connect(o).waitForCompletion(10_000);
        Semaphore window = new Semaphore(MAX_IN_FLIGHT);
        IMqttActionListener release = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        };
        long start = System.nanoTime();
        for (byte[] p : payloads) {
            window.acquire();
            client.publish("millwright/v1/bench-raw/telemetry", p, 1, false, null, release);
        }
        window.acquire(MAX_IN_FLIGHT);
        double seconds = (System.nanoTime() - start) / 1e9;
        client.disconnect().waitForCompletion(5000);
        client.close();
        System.out.printf(Locale.ROOT, "raw Paho: %,d samples in %,d messages in %.2f s = %,.0f samples/s%n", samples, payloads.size(), seconds,
                samples / seconds);
        return samples / seconds;
    }
}
