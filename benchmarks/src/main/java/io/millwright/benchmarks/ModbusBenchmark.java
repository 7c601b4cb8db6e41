package io.millwright.benchmarks;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.millwright.driver.modbus.internal.ModbusTcpDevice;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Modbus register reads per second through the driver (read plan, decoding, samples, batches to a
 * sink) against a local j2mod TCP slave, beside j2mod's raw master issuing the same requests in a loop,
 * in the same run. 8,000 holding registers as 8,000 uint16 channels: 64 requests of 125 registers per poll.
 */
final class ModbusBenchmark {

    private static final int REGISTERS = 8000;

    private ModbusBenchmark() {
    }

    static void run(int seconds) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        for (int i = 0; i < REGISTERS; i++) {
            image.addRegister(new SimpleRegister(i & 0x7fff));
        }
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
        try {
            for (int round = 0; round < 2; round++) {
                String label = round == 0 ? "warm-up" : "measured";
                double raw = raw(port, seconds);
                double driver = driver(port, seconds);
                System.out.printf("modbus %-8s raw j2mod master: %,.0f registers/s (%,.0f requests/s) | driver: %,.0f registers/s "
                        + "(%,.0f requests/s) | driver/raw = %.2f%n", label, raw, raw / 125, driver, driver / 125, driver / raw);
            }
        } finally {
            ModbusSlaveFactory.close();
        }
    }

    private static double raw(int port, int seconds) throws Exception {
        ModbusTCPMaster m = new ModbusTCPMaster("127.0.0.1", port, 1000, false);
        m.connect();
        long registers = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int a = 0; a < REGISTERS; a += 125) {
                registers += m.readMultipleRegisters(1, a, 125).length;
            }
        }
        double rate = registers / ((System.nanoTime() - start) / 1e9);
        m.disconnect();
        return rate;
    }

    private static double driver(int port, int seconds) throws Exception {
        String[] channels = new String[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            channels[i] = "bench/r" + i + " holding:" + i + " uint16";
        }
        CountingSink sink = new CountingSink();
        ModbusTcpDevice.Config config = new ModbusTcpDevice.Config() {
            @Override public Class<? extends Annotation> annotationType() { return ModbusTcpDevice.Config.class; }
            @Override public String deviceId() { return "bench"; }
            @Override public String host() { return "127.0.0.1"; }
            @Override public int port() { return port; }
            @Override public String framing() { return "tcp"; }
            @Override public int unitId() { return 1; }
            @Override public int pollIntervalMs() { return 1; }
            @Override public int timeoutMs() { return 1000; }
            @Override public int reconnectMinMs() { return 100; }
            @Override public int reconnectMaxMs() { return 1000; }
            @Override public int maxGap() { return 8; }
            @Override public String[] channels() { return channels; }
        };
        ModbusTcpDevice device = new ModbusTcpDevice(null, sink, config);
        double rate = sink.rate(seconds);
        device.deactivate();
        return rate;
    }
}
