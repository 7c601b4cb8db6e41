package io.millwright.benchmarks;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.driver.opcua.internal.OpcUaDevice;
import io.millwright.driver.opcua.testserver.OpcUaTestServer;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * OPC UA data-change notifications per second through the driver (subscription, status-to-quality, samples, batches
 * to a sink) against a local Milo server, beside a raw Milo client subscription on the same server with the same
 * parameters, in the same run: 1,000 variables (or as many as asked) all changing every 10 ms, sampling 10 ms, publishing 50 ms,
 * queue 10, security None (the transport's cost is the same for both; the difference is the driver's).
 */
final class OpcUaBenchmark {

    private static int variables;
    private static final int SAMPLING_MS = 10;
    private static final int PUBLISHING_MS = 50;

    private OpcUaBenchmark() {
    }

    static void run(int seconds, int count) throws Exception {
        variables = count;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (OpcUaTestServer server = OpcUaTestServer.acceptingAnyClient(port)) {
            for (int i = 0; i < variables; i++) {
                server.set("v" + i, 0.0);
            }
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            AtomicLong tick = new AtomicLong();
            writer.scheduleAtFixedRate(() -> {
                double t = tick.incrementAndGet();
                for (int i = 0; i < variables; i++) {
                    server.set("v" + i, t + i);
                }
            }, 0, SAMPLING_MS, TimeUnit.MILLISECONDS);
            Path pki = Files.createTempDirectory("millwright-bench-pki");
            Files.createDirectories(pki.resolve("trusted").resolve("certs"));
            Files.write(pki.resolve("trusted").resolve("certs").resolve("server.der"), server.certificate().getEncoded());
            try {
                for (int round = 0; round < 2; round++) {
                    String label = round == 0 ? "warm-up" : "measured";
                    double raw = raw(server.url(), seconds);
                    double driver = driver(server.url(), pki, seconds);
                    double changes = variables * 1000.0 / SAMPLING_MS;
                    System.out.printf("opcua %-8s server changes: %,.0f values/s | raw Milo subscription: %,.0f notifications/s | driver: %,.0f "
                            + "samples/s | driver/raw = %.2f%n", label, changes, raw, driver, driver / raw);
                }
            } finally {
                writer.shutdownNow();
            }
        }
    }

    private static double raw(String url, int seconds) throws Exception {
        OpcUaClient client = OpcUaClient.create(url,
                endpoints -> endpoints.stream().filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())
                        && e.getSecurityMode() == MessageSecurityMode.None).findFirst(),
                transport -> { }, config -> { });
        client.connect();
        AtomicLong notifications = new AtomicLong();
        OpcUaSubscription s = new OpcUaSubscription(client, (double) PUBLISHING_MS);
        s.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onDataReceived(OpcUaSubscription sub, java.util.List<OpcUaMonitoredItem> items,
                    java.util.List<org.eclipse.milo.opcua.stack.core.types.builtin.DataValue> values) {
                notifications.addAndGet(values.size());
            }
        });
        for (int i = 0; i < variables; i++) {
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(new NodeId(2, "v" + i));
            item.setSamplingInterval(SAMPLING_MS);
            item.setQueueSize(uint(10));
            s.addMonitoredItem(item);
        }
        s.create();
        s.synchronizeMonitoredItems();
        Thread.sleep(1000);
        long from = notifications.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double rate = (notifications.get() - from) / ((System.nanoTime() - start) / 1e9);
        s.delete();
        client.disconnect();
        return rate;
    }

    private static double driver(String url, Path pki, int seconds) throws Exception {
        String[] channels = new String[variables];
        for (int i = 0; i < variables; i++) {
            channels[i] = "bench/v" + i + " ns=2;s=v" + i;
        }
        CountingSink sink = new CountingSink();
        OpcUaDevice.Config config = new OpcUaDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return OpcUaDevice.Config.class; }
            @Override public String deviceId() { return "bench"; }
            @Override public String endpointUrl() { return url; }
            @Override public String securityPolicy() { return "None"; }
            @Override public String securityMode() { return "None"; }
            @Override public String username() { return ""; }
            @Override public String _password() { return ""; }
            @Override public String mode() { return "subscription"; }
            @Override public int publishingIntervalMs() { return PUBLISHING_MS; }
            @Override public int samplingIntervalMs() { return SAMPLING_MS; }
            @Override public int queueSize() { return 10; }
            @Override public int pollIntervalMs() { return 1000; }
            @Override public int timeoutMs() { return 5000; }
            @Override public int reconnectMinMs() { return 500; }
            @Override public int reconnectMaxMs() { return 5000; }
            @Override public String pkiDirectory() { return pki.toString(); }
            @Override public String[] channels() { return channels; }
        };
        OpcUaDevice device = new OpcUaDevice(null, sink, config);
        double rate = sink.rate(seconds);
        if (sink.samples() == 0) {
            System.out.println("opcua driver delivered nothing: " + device.status());
        }
        device.deactivate();
        return rate;
    }
}
