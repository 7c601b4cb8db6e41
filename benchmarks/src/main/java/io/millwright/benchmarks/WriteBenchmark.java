package io.millwright.benchmarks;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.millwright.api.ChannelId;
import io.millwright.api.Value;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.audit.file.AuditFile;
import io.millwright.driver.api.Device;
import io.millwright.driver.modbus.internal.ModbusTcpDevice;
import io.millwright.identity.api.Role;
import io.millwright.write.api.Interlock;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.write.api.WriteStatus;
import io.millwright.write.internal.Guard;
import io.millwright.write.internal.Plant;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The write path's added latency: a setpoint write through the write guard (policy with bounds, step, rate and requests
 * limits and four interlocks, the audit record forced to disk, the device's answer awaited) beside the same driver's
 * {@code Device.write} to the same j2mod slave on 127.0.0.1, interleaved in the same run. The read-back is excluded:
 * the guarded call returns PENDING once the device took the value; the twin is answered from the written values so
 * the read-back confirms on its first poll, and the next guarded write waits for that (one write per tag at a time).
 */
final class WriteBenchmark {

    private WriteBenchmark() {
    }

    static void run(int writes) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        image.addRegister(new SimpleRegister(1480));
        image.addRegister(new SimpleRegister(1480));
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
        Path dir = Files.createTempDirectory("millwright-write-bench");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ModbusTcpDevice component = new ModbusTcpDevice(null, new CountingSink(), config(port));
        try {
            Device device = component.asDevice();
            AssetTag tag = new AssetTag("speed_setpoint", ChannelId.parse("pump-1/speed_setpoint"), "rpm", "rpm", 1, 0, 0, 3000, 1000, "", true);
            ChannelId raw = ChannelId.parse("pump-1/raw_setpoint");
            Map<String, double[]> written = new ConcurrentHashMap<>();
            written.put("speed_setpoint", new double[] {1480, System.currentTimeMillis()});
            Plant plant = new Plant() {
                @Override
                public Optional<AssetTag> tag(String asset, String t) {
                    return Optional.of(tag);
                }

                @Override
                public Optional<Twin> twin(String asset) {
                    double[] w = written.get("speed_setpoint");
                    return Optional.of(new Twin(asset, List.of(new Twin.Reported("speed_setpoint", w[0], "", "rpm", "GOOD", "", (long) w[1] + 1, false)),
                            List.of(), OperatingState.RUNNING, 0, new Twin.Health(1, List.of(), List.of(), Map.of(), Double.NaN, "", "", ""), null, null, 0));
                }

                @Override
                public Optional<Device> device(ChannelId source) {
                    return Optional.of(device);
                }

                @Override
                public void desire(String asset, Twin.Desired desired) {
                    if (desired.status().equals("pending")) {
                        written.put("speed_setpoint", new double[] {desired.value(), desired.timeMs()});
                    }
                }
            };
            AuditFile audit = AuditFile.open(dir.resolve("audit.log"));
            Guard guard = new Guard(plant, audit, Clock.systemUTC(), scheduler, Duration.ofMinutes(15));
            guard.policies(Map.of("pump-1/speed_setpoint", new WritePolicy("pump-1", "speed_setpoint", Role.OPERATOR, 1000, 1800, 150, 0, 0,
                    List.of(Interlock.parse("running"), Interlock.parse("no-alarm-priority<=1"), Interlock.parse("not-in-maintenance"),
                            Interlock.parse("fresh")), Duration.ofSeconds(5), 0.5, false)), Map.of());
            waitOnline(device);
            for (int round = 0; round < 2; round++) {
                int n = round == 0 ? Math.max(50, writes / 5) : writes;
                long[] rawNs = new long[n];
                long[] guardedNs = new long[n];
                for (int i = 0; i < n; i++) {
                    double value = 1480 + (i % 2 == 0 ? 50 : -50);
                    long t0 = System.nanoTime();
                    if (!device.write(raw, Value.of(value)).toCompletableFuture().get(5, TimeUnit.SECONDS).accepted()) {
                        throw new IllegalStateException("raw write refused");
                    }
                    rawNs[i] = System.nanoTime() - t0;
                    long t1 = System.nanoTime();
                    WriteRecord r = guard.submit(new WriteRequest("pump-1", "speed_setpoint", value, "bench", "bench", Role.OPERATOR, "gateway", "",
                            false, ""));
                    guardedNs[i] = System.nanoTime() - t1;
                    if (r.status() != WriteStatus.PENDING) {
                        throw new IllegalStateException("guarded write " + r.status() + ": " + r.message());
                    }
                    WriteRecord done = guard.await(r.id(), Duration.ofSeconds(5)); // not timed: the read-back
                    if (done.status() != WriteStatus.CONFIRMED) {
                        throw new IllegalStateException("read-back " + done.status() + ": " + done.message());
                    }
                }
                Arrays.sort(rawNs);
                Arrays.sort(guardedNs);
                System.out.printf("write %-8s %d writes | raw Device.write: median %.3f ms, p99 %.3f ms | through the guard: median %.3f ms, "
                        + "p99 %.3f ms | added: median %.3f ms (target <= 5 ms), guarded/raw = %.2f%n", round == 0 ? "warm-up" : "measured", n,
                        ms(rawNs, 0.5), ms(rawNs, 0.99), ms(guardedNs, 0.5), ms(guardedNs, 0.99), ms(guardedNs, 0.5) - ms(rawNs, 0.5),
                        ms(guardedNs, 0.5) / ms(rawNs, 0.5));
            }
            System.out.printf("write audit trail: %d entries, %s%n", audit.lastSequence(), audit.verify());
        } finally {
            component.deactivate();
            scheduler.shutdownNow();
            ModbusSlaveFactory.close();
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    private static void waitOnline(Device device) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end && !device.status().state().name().equals("ONLINE")) {
            Thread.sleep(20);
        }
    }

    private static ModbusTcpDevice.Config config(int port) {
        String[] channels = {"pump-1/speed_setpoint holding:0 uint16 unit=rpm min=0 max=3000 writable",
            "pump-1/raw_setpoint holding:1 uint16 unit=rpm min=0 max=3000 writable"};
        return new ModbusTcpDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return ModbusTcpDevice.Config.class; }
            @Override public String deviceId() { return "bench"; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public int port() { return port; }
            @Override public String framing() { return "tcp"; }
            @Override public int unitId() { return 1; }
            @Override public int pollIntervalMs() { return 1000; }
            @Override public int timeoutMs() { return 1000; }
            @Override public int reconnectMinMs() { return 100; }
            @Override public int reconnectMaxMs() { return 1000; }
            @Override public int maxGap() { return 8; }
            @Override public String[] channels() { return channels; }
        };
    }
}
