package io.millwright.driver.modbus.internal;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import io.millwright.api.Clocks;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.ingest.api.SampleSink;
import io.millwright.driver.api.WriteResult;
import io.millwright.driver.support.ConfigChecks;
import io.millwright.driver.support.LaneDevice;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Modbus endpoint, over TCP or a serial line (the {@link ModbusTcpDevice} and
 * {@link ModbusRtuDevice} components configure it). Its lane {@code modbus-io-<deviceId>} does all
 * I/O in order: polls the read plan, turns exception responses into BAD samples for the channels of
 * that request, treats I/O failures and timeouts as a lost connection (OFFLINE, reconnect with capped
 * exponential backoff and jitter), and carries out writes.
 */
final class ModbusDevice extends LaneDevice<ModbusChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusDevice.class);

    /** Settings every Modbus device has, whatever its link. */
    record Settings(String deviceId, int unitId, int pollIntervalMs, int timeoutMs, int reconnectMinMs, int reconnectMaxMs, int maxGap,
            List<ModbusChannel> channels) {

        /**
         * Checks and parses; messages name the attribute or channel and the value.
         *
         * @return the settings
         */
        static Settings of(String deviceId, int unitId, int pollIntervalMs, int timeoutMs, int reconnectMinMs, int reconnectMaxMs,
                int maxGap, String[] channels) {
            ConfigChecks.deviceId(deviceId);
            ConfigChecks.range("unitId", unitId, 0, 255);
            ConfigChecks.range("pollIntervalMs", pollIntervalMs, 1, 3_600_000);
            ConfigChecks.range("timeoutMs", timeoutMs, 50, 60_000);
            ConfigChecks.range("reconnectMinMs", reconnectMinMs, 10, 600_000);
            ConfigChecks.range("reconnectMaxMs", reconnectMaxMs, reconnectMinMs, 3_600_000);
            ConfigChecks.range("maxGap", maxGap, 0, 2000);
            return new Settings(deviceId, unitId, pollIntervalMs, timeoutMs, reconnectMinMs, reconnectMaxMs, maxGap,
                    ModbusChannel.parseAll(channels));
        }
    }

    /** Opens a master to the endpoint. */
    interface Link {
        /** @return a connected master */
        AbstractModbusMaster connect() throws Exception;

        /** @return where, for messages, e.g. {@code 10.0.0.7:502} or {@code /dev/ttyUSB0} */
        String endpoint();
    }

    private final Settings settings;
    private final int unitId;
    private final Link link;
    private final List<ModbusChannel> channels;
    private final ReadPlan plan;
    private final SampleSink sink;

    // lane state
    private AbstractModbusMaster master;

    ModbusDevice(BundleContext context, SampleSink sink, Settings s, Link link, Clock clock) {
        super("modbus", s.deviceId(), s.channels(), ModbusChannel::descriptor, s.reconnectMinMs(), s.reconnectMaxMs(), clock);
        this.settings = s;
        this.unitId = s.unitId();
        this.link = link;
        this.channels = s.channels();
        this.plan = new ReadPlan(channels, s.maxGap());
        this.sink = sink;
        LOG.info("modbus device {}: {} unit {}, {} channels in {} requests per poll", s.deviceId(), link.endpoint(), unitId, channels.size(),
                plan.requests().size());
        start(context, s.pollIntervalMs(), false, this::poll);
    }

    private boolean connected() {
        if (master != null && master.isConnected()) {
            return true;
        }
        if (!reconnectDue()) {
            return false;
        }
        try {
            disconnect();
            master = link.connect();
            return true;
        } catch (Exception e) {
            offline("connect-failed", "cannot connect to " + link.endpoint() + ": " + e.getMessage());
            return false;
        }
    }

    private void poll() {
        if (!connected()) {
            return;
        }
        long now = Clocks.micros(clock());
        List<Sample> out = new ArrayList<>(channels.size());
        int bad = 0;
        for (ReadPlan.Request r : plan.requests()) {
            try {
                read(r, now, out);
            } catch (ModbusSlaveException e) {
                meter().error();
                bad += r.channels().size();
                Quality q = Quality.bad("Modbus exception " + e.getType() + " for " + r.table().key + ":" + r.start() + "+" + r.count() + ": "
                        + ModbusSlaveException.getMessage(e.getType()));
                for (ModbusChannel c : r.channels()) {
                    out.add(Sample.of(c.id(), now, placeholder(c), q));
                }
            } catch (ModbusException e) {
                offline("io-failed", "request " + r.table().key + ":" + r.start() + "+" + r.count() + " to " + link.endpoint() + " failed: "
                        + e.getMessage());
                return;
            }
        }
        answered(bad == 0 ? null : "exception-responses", bad + " channels answered with Modbus exceptions");
        meter().submit(sink, new SampleBatch(id(), out));
    }

    private static Value placeholder(ModbusChannel c) {
        return switch (c.descriptor().type()) {
            case BOOLEAN -> Value.of(false);
            case LONG -> Value.of(0L);
            default -> Value.of(Double.NaN);
        };
    }

    private void read(ReadPlan.Request r, long now, List<Sample> out) throws ModbusException {
        switch (r.table()) {
            case COIL, DISCRETE -> {
                BitVector bits = r.table() == ModbusTable.COIL ? master.readCoils(unitId, r.start(), r.count())
                        : master.readInputDiscretes(unitId, r.start(), r.count());
                for (ModbusChannel c : r.channels()) {
                    out.add(Sample.of(c.id(), now, Value.of(bits.getBit(c.address() - r.start())), Quality.GOOD));
                }
            }
            case INPUT, HOLDING -> {
                InputRegister[] regs = r.table() == ModbusTable.HOLDING ? master.readMultipleRegisters(unitId, r.start(), r.count())
                        : master.readInputRegisters(unitId, r.start(), r.count());
                int[] words = new int[regs.length];
                for (int i = 0; i < regs.length; i++) {
                    words[i] = regs[i].toUnsignedShort();
                }
                for (ModbusChannel c : r.channels()) {
                    int at = c.address() - r.start();
                    Value v;
                    if (c.descriptor().type() == ValueType.LONG) {
                        v = Value.of(RegisterCodec.decodeLong(words, at, c.type(), c.order()));
                    } else {
                        v = Value.of(c.engineering(RegisterCodec.decode(words, at, c.type(), c.order())));
                    }
                    out.add(Sample.of(c.id(), now, v, Quality.GOOD));
                }
            }
            default -> throw new IllegalStateException("unknown table " + r.table());
        }
    }

    @Override
    protected void closeConnection() {
        disconnect();
    }

    private void disconnect() {
        AbstractModbusMaster m = master;
        master = null;
        if (m != null) {
            m.disconnect();
        }
    }

    @Override
    protected String addressOf(ModbusChannel c) {
        return "unit " + settings.unitId() + " " + c.table().key + ":" + c.address() + " " + c.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    protected WriteResult writeOnLane(ModbusChannel c, Value value, String what) {
        if (!connected()) {
            return notConnected(what);
        }
        try {
            if (c.table() == ModbusTable.COIL) {
                master.writeCoil(unitId, c.address(), value.asDouble() != 0);
            } else {
                double engineering = value.asDouble();
                int[] words = RegisterCodec.encode((engineering - c.offset()) / c.scale(), c.type(), c.order());
                Register[] regs = new Register[words.length];
                for (int i = 0; i < words.length; i++) {
                    regs[i] = new SimpleRegister(words[i]);
                }
                master.writeMultipleRegisters(unitId, c.address(), regs);
            }
            return WriteResult.accepted(what);
        } catch (IllegalArgumentException e) {
            return WriteResult.refused(what + " refused: " + e.getMessage());
        } catch (ModbusSlaveException e) {
            return WriteResult.refused(what + " refused by the device: Modbus exception " + e.getType() + ": "
                    + ModbusSlaveException.getMessage(e.getType()));
        } catch (ModbusException e) {
            offline("io-failed", "write to " + link.endpoint() + " failed: " + e.getMessage());
            return WriteResult.refused(what + " failed: " + e.getMessage());
        }
    }

    /** Stops the lane, closes the connection and withdraws the service. Idempotent. */
    void stop() {
        stop(this::disconnect, settings.timeoutMs() + 1000L);
    }
}
