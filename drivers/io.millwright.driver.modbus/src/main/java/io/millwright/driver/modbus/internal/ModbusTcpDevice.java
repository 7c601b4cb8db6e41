package io.millwright.driver.modbus.internal;

import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import io.millwright.ingest.api.SampleSink;
import io.millwright.driver.support.ConfigChecks;
import java.time.Clock;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A Modbus device on TCP (factory PID {@value #PID}): Modbus TCP framing (MBAP header), or RTU
 * framing tunnelled over TCP ({@code framing=rtu}) as serial-to-Ethernet gateways speak it.
 */
@Component(configurationPid = ModbusTcpDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ModbusTcpDevice.Config.class, factory = true)
public final class ModbusTcpDevice {

    static final String PID = "io.millwright.driver.modbus.tcp";

    /** Configuration of one Modbus TCP device. */
    @ObjectClassDefinition(name = "Millwright Modbus TCP device")
    public @interface Config {
        /** @return device id */
        @AttributeDefinition(description = "Device id, unique in the gateway")
        String deviceId();

        /** @return host */
        @AttributeDefinition(description = "Host name or address of the Modbus TCP server")
        String host();

        /** @return port */
        @AttributeDefinition(description = "TCP port")
        int port() default 502;

        /** @return framing */
        @AttributeDefinition(description = "Framing on the TCP stream: tcp (MBAP, standard) or rtu (RTU frames with CRC, serial gateways)")
        String framing() default "tcp";

        /** @return unit id */
        @AttributeDefinition(description = "Unit id (slave address), 0-255")
        int unitId() default 1;

        /** @return poll interval, ms */
        @AttributeDefinition(description = "Poll interval in ms (1-3600000), the pause between the end of one poll and the start of the next")
        int pollIntervalMs() default 1000;

        /** @return timeout per request, ms */
        @AttributeDefinition(description = "Timeout of connect and of every request in ms (50-60000)")
        int timeoutMs() default 1000;

        /** @return first reconnect delay, ms */
        @AttributeDefinition(description = "First reconnect delay in ms; doubles per failure, with jitter, up to reconnectMaxMs")
        int reconnectMinMs() default 500;

        /** @return longest reconnect delay, ms */
        @AttributeDefinition(description = "Longest reconnect delay in ms")
        int reconnectMaxMs() default 30000;

        /** @return largest hole read through when coalescing */
        @AttributeDefinition(description = "Largest hole of unused registers or bits read through to save a request (0-2000)")
        int maxGap() default 8;

        /** @return channels */
        @AttributeDefinition(description = "Channels: 'asset/tag table:address type [order=] [scale=] [offset=] [unit=] [min=] [max=] [writable]'")
        String[] channels();
    }

    private final ModbusDevice device;

    /**
     * @param context to register the device service
     * @param sink where samples go
     * @param config the device configuration
     * @throws IllegalArgumentException naming the PID, the device, the attribute or channel and the value
     */
    @Activate
    public ModbusTcpDevice(BundleContext context, @Reference SampleSink sink, Config config) {
        this(context, sink, config, Clock.systemUTC());
    }

    ModbusTcpDevice(BundleContext context, SampleSink sink, Config c, Clock clock) {
        ModbusDevice.Settings settings;
        boolean rtu;
        try {
            ConfigChecks.required("host", c.host());
            ConfigChecks.range("port", c.port(), 1, 65535);
            rtu = ConfigChecks.oneOf("framing", c.framing(), "tcp", "rtu").equals("rtu");
            settings = ModbusDevice.Settings.of(c.deviceId(), c.unitId(), c.pollIntervalMs(), c.timeoutMs(), c.reconnectMinMs(),
                    c.reconnectMaxMs(), c.maxGap(), c.channels());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + " of device '" + c.deviceId() + "': " + e.getMessage(), e);
        }
        String host = c.host().trim();
        int port = c.port();
        int timeoutMs = c.timeoutMs();
        ModbusDevice.Link link = new ModbusDevice.Link() {
            @Override
            public AbstractModbusMaster connect() throws Exception {
                ModbusTCPMaster m = new ModbusTCPMaster(host, port, timeoutMs, false, rtu);
                m.setTimeout(timeoutMs);
                // j2mod retries a silent request 5 times with 500 ms pauses by default: the timeout must
                // bound the whole call, and the next poll (on a fresh connection) is the retry
                m.connect();
                m.setRetries(1); // one try (0 means 5 in j2mod 3.3); after connect(), which replaces the transaction
                return m;
            }

            @Override
            public String endpoint() {
                return host + ":" + port + (rtu ? " (RTU over TCP)" : "");
            }
        };
        this.device = new ModbusDevice(context, sink, settings, link, clock);
    }

    /** @return the device */
    ModbusDevice device() {
        return device;
    }

    /**
     * @return the device as the gateway's other bundles see it (its {@link io.millwright.driver.api.Device} service), for
     *     tests and load drivers that run the driver without a framework
     */
    public io.millwright.driver.api.Device asDevice() {
        return device;
    }

    /** Stops the device. */
    @Deactivate
    public void deactivate() {
        device.stop();
    }
}
