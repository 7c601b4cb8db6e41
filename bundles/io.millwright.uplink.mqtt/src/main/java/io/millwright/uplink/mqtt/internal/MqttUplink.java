package io.millwright.uplink.mqtt.internal;

import io.millwright.api.Clocks;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.journal.api.CursorStatistics;
import io.millwright.journal.api.Gap;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.uplink.api.Uplink;
import io.millwright.uplink.api.UplinkStatus;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward MQTT uplink (MQTT 3.1.1 or 5, QoS 1). Reads the journal through the durable cursor
 * {@value #CURSOR}, publishes telemetry batches, and advances the cursor only as far as PUBACKs
 * reach. A lost connection forgets what was in flight and resends from the cursor: duplicates only
 * from the unacknowledged window, never a loss. Paho's in-memory persistence is enough because the
 * journal is the persistence.
 *
 * <p>Threads: the lane {@code uplink-mqtt-<gateway>} does every client call and owns all state;
 * Paho's callbacks post to it. A generation number drops callbacks from an earlier connection.
 */
public final class MqttUplink implements Uplink {

    static final String CURSOR = "uplink-mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);

    private final UplinkSettings settings;
    private final Journal journal;
    private final JournalCursor cursor;
    private final Supplier<List<Device>> devices;
    private final Clock clock;
    private final ScheduledExecutorService lane;
    private final CommandHandler commands;
    private final String commandState;
    private final long maxIncomingBytes;
    private final java.util.concurrent.atomic.AtomicInteger commandsWaiting = new java.util.concurrent.atomic.AtomicInteger();
    /** commands waiting for the lane at most; more are dropped and counted */
    static final int MAX_WAITING_COMMANDS = 16;
    private final Instant started;

    // lane state
    private MqttSession client;
    private long generation;
    private boolean connected;
    /** messages of {@link #publish(String, byte[], boolean)} in flight (lane state) */
    private int sideInFlight;
    private static final int MAX_SIDE_IN_FLIGHT = 8;
    private boolean connecting;
    private int attempts;
    private int inFlight;
    private final SendWindow window = new SendWindow();
    private final Map<String, String> publishedDeviceStatus = new HashMap<>();
    private final Set<String> publishedGaps = new HashSet<>();
    private double tokens;
    private long tokensAt = System.nanoTime();
    private boolean closed;

    // figures, read by other threads
    private volatile boolean connectedNow;
    private volatile String lastError = "";
    private volatile int inFlightNow;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong acknowledgedSamples = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong gapReports = new AtomicLong();
    private final ArrayDeque<long[]> rateWindow = new ArrayDeque<>();

    /**
     * Starts the lane and connects.
     *
     * @param settings validated settings
     * @param journal the journal to forward
     * @param devices the devices whose status to publish
     * @param cm Configuration Admin for commands, may supply null
     * @param clock time source
     */
    public MqttUplink(UplinkSettings settings, Journal journal, Supplier<List<Device>> devices, Supplier<ConfigurationAdmin> cm, Clock clock) {
        this(settings, journal, devices, clock, status -> null, "off: no command handler", 64 * 1024);
    }

    /**
     * @param settings validated settings
     * @param journal the journal to forward
     * @param devices the devices whose status to publish
     * @param clock time source
     * @param commands makes the command handler (given the status writer); null from it: no commands
     * @param commandState shown in the status: "on", or "off: " and why
     * @param maxIncomingBytes the largest packet the broker may send (MQTT 5)
     */
    MqttUplink(UplinkSettings settings, Journal journal, Supplier<List<Device>> devices, Clock clock,
            java.util.function.Function<java.util.function.Consumer<JsonGenerator>, CommandHandler> commands, String commandState,
            long maxIncomingBytes) {
        this.maxIncomingBytes = maxIncomingBytes;
        this.settings = settings;
        this.journal = journal;
        this.devices = devices;
        this.clock = clock;
        this.started = clock.instant();
        this.cursor = journal.openCursor(CURSOR, StartAt.EARLIEST);
        this.commands = commands.apply(this::writeStatus);
        this.commandState = commandState;
        this.lane = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "uplink-mqtt-" + settings.gatewayId());
            t.setDaemon(true);
            return t;
        });
        lane.execute(guarded(this::connect));
        lane.scheduleWithFixedDelay(guarded(this::tick), settings.linger().toMillis(), settings.linger().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> publish(String topicSuffix, byte[] payload, boolean retained) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        if (topicSuffix == null || !topicSuffix.matches("[A-Za-z0-9_.\\-]{1,64}(/[A-Za-z0-9_.\\-]{1,64}){0,7}")) {
            done.completeExceptionally(new IllegalArgumentException("topic '" + topicSuffix + "': segments of [A-Za-z0-9_.-] separated by /"));
            return done;
        }
        if (topicSuffix.equals("commands") || topicSuffix.equals("responses") || topicSuffix.equals("status") || topicSuffix.equals("telemetry")) {
            done.completeExceptionally(new IllegalArgumentException("topic '" + topicSuffix + "' is the uplink's own"));
            return done;
        }
        try {
            lane.execute(guarded(() -> {
                if (!connected || closed) {
                    done.completeExceptionally(new IllegalStateException("uplink to " + settings.gatewayId() + "'s broker is not connected"));
                    return;
                }
                if (sideInFlight >= MAX_SIDE_IN_FLIGHT) {
                    // Paho's window is the telemetry's plus 16: side messages never take the telemetry's share
                    done.completeExceptionally(new IllegalStateException("uplink busy: " + sideInFlight + " side messages in flight"));
                    return;
                }
                long gen = generation;
                try {
                    sideInFlight++;
                    client.publish(settings.topic(topicSuffix), payload, retained, failure -> {
                        post(() -> {
                            if (gen == generation) {
                                sideInFlight--; // a callback of an earlier connection counts for nothing: each connect starts at 0
                            }
                        });
                        if (failure == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(failure);
                        }
                    });
                } catch (Exception e) {
                    sideInFlight--;
                    done.completeExceptionally(e);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("uplink stopped"));
        }
        return done;
    }

    // ---- connection ----------------------------------------------------------------------------

    private MqttSession.ConnectSpec connectSpec() throws GeneralSecurityException, IOException {
        return new MqttSession.ConnectSpec(settings.username(), settings.password(), settings.topic("status"),
                Payloads.gatewayStatus(settings.gatewayId(), "offline", "connection lost", clock.instant()),
                (int) settings.keepAlive().toSeconds(), (int) settings.connectTimeout().toSeconds(), settings.maxInFlight() + 16,
                settings.tls() ? sslContext().getSocketFactory() : null, maxIncomingBytes);
    }

    private SSLContext sslContext() throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = null;
        if (!settings.trustStore().isBlank()) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(settings.trustStore(), settings.trustStorePassword()));
        }
        KeyManagerFactory kmf = null;
        if (!settings.keyStore().isBlank()) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(settings.keyStore(), settings.keyStorePassword()), settings.keyStorePassword());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(String path, char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, password);
        }
        return ks;
    }

    private void connect() {
        if (closed || connected || connecting) {
            return;
        }
        connecting = true;
        long gen = ++generation;
        try {
            closeClient();
            client = settings.protocolVersion() == 5 ? new Mqtt5Session(settings.brokerUri(), settings.clientId())
                    : new Mqtt3Session(settings.brokerUri(), settings.clientId());
            client.connect(connectSpec(), new Events(gen), failure -> post(() -> {
                if (failure == null) {
                    connected(gen);
                } else {
                    failed(gen, "connect failed: " + describe(failure) + tlsHint(failure));
                }
            }));
        } catch (Exception | LinkageError e) {
            failed(gen, "connect failed: " + describe(e) + tlsHint(e));
        }
    }

    /**
     * @return for a TLS refusal, which side refused and what to fix, naming the broker and the store involved; empty
     *     for other failures
     */
    String tlsHint(Throwable failure) {
        boolean untrusted = false;
        boolean refusedByBroker = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.security.cert.CertificateException || t instanceof java.security.cert.CertPathValidatorException
                    || m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
                untrusted = true;
            }
            if (t instanceof javax.net.ssl.SSLException && (m.contains("bad_certificate") || m.contains("certificate_required")
                    || m.contains("certificate_unknown") && !untrusted)) {
                refusedByBroker = true;
            }
        }
        if (untrusted) {
            return " — the certificate of " + settings.brokerUri() + " is not trusted by "
                    + (settings.trustStore().isBlank() ? "the JVM's default trust store (set trustStore)" : "the trust store " + settings.trustStore());
        }
        if (refusedByBroker) {
            return " — " + settings.brokerUri() + " refused this gateway's client certificate "
                    + (settings.keyStore().isBlank() ? "(none configured: set keyStore)" : "from " + settings.keyStore());
        }
        return "";
    }

    /**
     * Every task on the lane runs through this: an unexpected error is logged and the connection
     * started over, never a silently dead lane.
     */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                lastError = "uplink failure: " + e;
                LOG.error("uplink {}: unexpected failure; reconnecting", settings.gatewayId(), e);
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                if (!closed) {
                    long gen = generation;
                    connected = false;
                    connectedNow = false;
                    connecting = false;
                    lost(gen, "unexpected failure: " + e);
                }
            }
        };
    }

    private void connected(long gen) {
        if (gen != generation || closed) {
            return;
        }
        connecting = false;
        connected = true;
        connectedNow = true;
        sideInFlight = 0;
        if (attempts > 0 || acknowledged.get() > 0) {
            reconnects.incrementAndGet();
        }
        attempts = 0;
        lastError = "";
        inFlight = 0;
        inFlightNow = 0;
        window.reset(cursor.position(), journal.statistics().endPosition(), settings.order());
        publishedDeviceStatus.clear();
        LOG.info("uplink {}: connected to {}; resending from journal position {}", settings.gatewayId(), settings.brokerUri(),
                cursor.position());
        try {
            client.publish(settings.topic("status"), Payloads.gatewayStatus(settings.gatewayId(), "online", "", started), true, f -> { });
            if (commands != null) {
                client.subscribe(settings.topic("commands"));
            }
        } catch (Exception e) {
            lost(gen, "birth or subscribe failed: " + describe(e));
            return;
        }
        tick();
    }

    private void failed(long gen, String error) {
        if (gen != generation || closed) {
            return;
        }
        connecting = false;
        connected = false;
        connectedNow = false;
        if (!error.equals(lastError)) {
            LOG.warn("uplink {}: {}", settings.gatewayId(), error);
        }
        lastError = error;
        long delay = Math.min(settings.reconnectMax().toMillis(), settings.reconnectMin().toMillis() << Math.min(attempts, 20));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        attempts++;
        lane.schedule(guarded(this::connect), delay, TimeUnit.MILLISECONDS);
    }

    private void lost(long gen, String error) {
        if (gen != generation || closed) {
            return;
        }
        LOG.warn("uplink {}: connection lost ({}); {} messages in flight will be resent", settings.gatewayId(), error, inFlight);
        generation++;
        inFlight = 0;
        inFlightNow = 0;
        window.reset(cursor.position(), journal.statistics().endPosition(), settings.order());
        closeClient();
        failed(generation, error);
    }

    private void closeClient() {
        MqttSession c = client;
        client = null;
        if (c != null) {
            c.close();
        }
    }

    private final class Events implements MqttSession.Events {
        private final long gen;

        Events(long gen) {
            this.gen = gen;
        }

        @Override
        public void connectionLost(Throwable cause) {
            post(() -> lost(gen, describe(cause)));
        }

        @Override
        public void message(String topic, byte[] payload, boolean retained) {
            if (commands == null) {
                return;
            }
            if (commandsWaiting.incrementAndGet() > MAX_WAITING_COMMANDS) {
                commandsWaiting.decrementAndGet();
                commands.dropped(settings.brokerUri());
                return;
            }
            post(() -> {
                commandsWaiting.decrementAndGet();
                command(gen, payload, retained);
            });
        }
    }

    private void post(Runnable r) {
        try {
            lane.execute(guarded(r));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("uplink {}: event after stop dropped", settings.gatewayId());
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage() == null ? e : e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    // ---- publishing ----------------------------------------------------------------------------

    /** The periodic cycle: status and gap reports, then telemetry. */
    private void tick() {
        try {
            if (connected && !closed) {
                publishDeviceStatus(generation);
                publishGaps(generation);
            }
        } catch (RuntimeException e) {
            lastError = "status or gap report failed: " + e;
            LOG.error("uplink {}: status or gap report failed", settings.gatewayId(), e);
        }
        pumpSafely();
    }

    private void pumpSafely() {
        try {
            pump();
        } catch (RuntimeException e) {
            lastError = "publish failed: " + e;
            LOG.error("uplink {}: publish loop failed", settings.gatewayId(), e);
        }
    }

    private void pump() {
        if (!connected || closed) {
            return;
        }
        long gen = generation;
        while (inFlight < settings.maxInFlight()) {
            if (settings.maxBytesPerSecond() > 0 && !refill()) {
                return;
            }
            SendWindow.Batch batch = window.next(cursor, settings.maxBatchSamples(), settings.maxMessageBytes());
            if (batch == null) {
                return;
            }
            byte[] payload = Payloads.telemetry(settings.gatewayId(), batch);
            tokens -= payload.length;
            if (!publish(gen, settings.topic("telemetry"), payload, false, () -> acknowledgedBatch(gen, batch))) {
                return;
            }
        }
    }

    private boolean refill() {
        long now = System.nanoTime();
        double rate = settings.maxBytesPerSecond();
        tokens = Math.min(rate, tokens + (now - tokensAt) / 1e9 * rate);
        tokensAt = now;
        return tokens > 0;
    }

    private boolean publish(long gen, String topic, byte[] payload, boolean retained, Runnable onAck) {
        try {
            inFlight++;
            inFlightNow = inFlight;
            client.publish(topic, payload, retained, failure -> post(() -> {
                if (gen != generation) {
                    return;
                }
                if (failure == null) {
                    inFlight--;
                    inFlightNow = inFlight;
                    onAck.run();
                } else {
                    lost(gen, "publish failed: " + describe(failure));
                }
            }));
            return true;
        } catch (Exception e) {
            lost(gen, "publish failed: " + describe(e));
            return false;
        }
    }

    private void acknowledgedBatch(long gen, SendWindow.Batch batch) {
        window.acknowledged(batch);
        long upTo = window.acknowledgedUpTo();
        if (upTo > cursor.position()) {
            cursor.advance(upTo);
        }
        acknowledged.incrementAndGet();
        long total = acknowledgedSamples.addAndGet(batch.samples().size());
        synchronized (rateWindow) {
            long now = System.nanoTime();
            rateWindow.addLast(new long[] {now, total});
            while (rateWindow.size() > 2 && now - rateWindow.peekFirst()[0] > TimeUnit.SECONDS.toNanos(5)) {
                rateWindow.removeFirst();
            }
        }
        pump();
    }

    private void publishDeviceStatus(long gen) {
        for (Device d : devices.get()) {
            DeviceStatus s = d.status();
            String key = s.state() + "|" + s.detail() + "|" + s.message() + "|" + s.since();
            if (inFlight >= settings.maxInFlight()) {
                return;
            }
            if (!key.equals(publishedDeviceStatus.get(d.id()))) {
                publishedDeviceStatus.put(d.id(), key);
                publish(gen, settings.topic("devices/" + d.id() + "/status"), Payloads.deviceStatus(settings.gatewayId(), d.id(), d.driver(), s),
                        true, () -> { });
            }
        }
    }

    private void publishGaps(long gen) {
        List<Gap> gaps = journal.statistics().gaps();
        for (Gap g : gaps) {
            String key = g.channel() + ":" + g.fromSequence() + "-" + g.toSequence();
            if (inFlight >= settings.maxInFlight()) {
                return;
            }
            if (publishedGaps.add(key)) {
                gapReports.incrementAndGet();
                publish(gen, settings.topic("gaps"), Payloads.gap(settings.gatewayId(), g), false, () -> { });
            }
        }
        if (publishedGaps.size() > 10_000) {
            publishedGaps.clear();
        }
    }

    private void command(long gen, byte[] payload, boolean retained) {
        if (gen != generation || !connected) {
            return;
        }
        CommandHandler.Outcome outcome = commands.handle(payload, retained, settings.brokerUri());
        if (outcome.response() == null) {
            return; // refused without a reply (counted and audited)
        }
        publish(gen, settings.topic("responses"), outcome.response(), false, () -> { });
        if (outcome.reconnect()) {
            LOG.info("uplink {}: reconnect requested by command", settings.gatewayId());
            lane.schedule(guarded(() -> {
                if (gen == generation) {
                    generation++;
                    connected = false;
                    connectedNow = false;
                    closeClient();
                    connect();
                }
            }), 200, TimeUnit.MILLISECONDS);
        }
    }

    // ---- status ---------------------------------------------------------------------------------

    @Override
    public UplinkStatus status() {
        JournalStatistics js = journal.statistics();
        CursorStatistics mine = js.cursors().stream().filter(c -> c.name().equals(CURSOR)).findFirst()
                .orElse(new CursorStatistics(CURSOR, 0, 0, 0));
        long backlogBytes = js.retainedSamples() == 0 ? 0 : mine.lagSamples() * js.payloadBytes() / js.retainedSamples();
        long oldestAge = 0;
        if (mine.lagSamples() > 0) {
            JournalRead first = cursor.readFrom(cursor.position(), 1);
            if (!first.entries().isEmpty() && !first.entries().get(0).samples().isEmpty()) {
                long ingest = first.entries().get(0).samples().get(0).ingestTimeMicros();
                oldestAge = Math.max(0, (Clocks.micros(clock) - ingest) / 1000);
            }
        }
        double rate;
        synchronized (rateWindow) {
            long[] a = rateWindow.peekFirst();
            long[] z = rateWindow.peekLast();
            rate = a == null || z == a || System.nanoTime() - z[0] > TimeUnit.SECONDS.toNanos(5) ? 0
                    : (z[1] - a[1]) * 1e9 / (z[0] - a[0]);
        }
        return new UplinkStatus(name(), settings.brokerUri(), connectedNow, lastError, mine.lagSamples(), backlogBytes, oldestAge, rate,
                acknowledged.get(), inFlightNow, reconnects.get(), gapReports.get(), commands == null ? 0 : commands.refused(), commandState);
    }

    private void writeStatus(JsonGenerator g) {
        UplinkStatus u = status();
        JournalStatistics js = journal.statistics();
        g.write("connected", u.connected()).write("backlogSamples", u.backlogSamples()).write("oldestUnsentAgeMillis", u.oldestUnsentAgeMillis())
                .write("publishRateSamplesPerSecond", u.publishRateSamplesPerSecond()).write("committedSamples", js.committedSamples())
                .write("droppedSamples", js.droppedSamples()).write("journalState", js.state().name())
                .write("uptimeSeconds", clock.instant().getEpochSecond() - started.getEpochSecond());
        g.writeStartArray("devices");
        for (Device d : devices.get()) {
            g.writeStartObject().write("id", d.id()).write("state", d.status().state().name()).writeEnd();
        }
        g.writeEnd();
    }

    /** Publishes the offline status, disconnects and stops the lane. */
    public void close() {
        try {
            lane.submit(() -> {
                closed = true;
                if (connected && client != null) {
                    try {
                        client.publishAndWait(settings.topic("status"),
                                Payloads.gatewayStatus(settings.gatewayId(), "offline", "shutdown", clock.instant()), true, 2000);
                        client.disconnect(1000);
                    } catch (Exception e) {
                        LOG.debug("uplink {}: graceful disconnect failed", settings.gatewayId(), e);
                    }
                }
                closeClient();
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // still stop the lane below; the caller sees the interrupt
        } catch (Exception e) {
            LOG.warn("uplink {}: did not close cleanly", settings.gatewayId(), e);
        }
        lane.shutdownNow();
        try {
            lane.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cursor.close();
    }
}
