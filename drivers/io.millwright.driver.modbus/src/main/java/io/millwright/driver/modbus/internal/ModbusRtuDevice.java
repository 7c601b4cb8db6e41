package io.millwright.driver.modbus.internal;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.net.AbstractSerialConnection;
import com.ghgande.j2mod.modbus.util.SerialParameters;
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
 * A Modbus RTU device on a serial line (factory PID {@value #PID}), through j2mod and jSerialComm.
 * One configuration per serial port and unit id (one lane owns the port; several slaves on one
 * RS-485 bus are not supported yet, see the module README). Tests exercise the same RTU framing
 * over TCP ({@link ModbusTcpDevice} with {@code framing=rtu}); this component adds only the serial
 * line settings and its checks.
 */
@Component(configurationPid = ModbusRtuDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ModbusRtuDevice.Config.class, factory = true)
public final class ModbusRtuDevice {

    static final String PID = "io.millwright.driver.modbus.rtu";

    /** Configuration of one Modbus RTU device on a serial port. */
    @ObjectClassDefinition(name = "Millwright Modbus RTU (serial) device")
    public @interface Config {
        /** @return device id */
        @AttributeDefinition(description = "Device id, unique in the gateway")
        String deviceId();

        /** @return serial port */
        @AttributeDefinition(description = "Serial port, e.g. /dev/ttyUSB0 or COM3")
        String serialPort();

        /** @return baud rate */
        @AttributeDefinition(description = "Baud rate (300-921600)")
        int baudRate() default 19200;

        /** @return data bits */
        @AttributeDefinition(description = "Data bits (7 or 8)")
        int dataBits() default 8;

        /** @return parity */
        @AttributeDefinition(description = "Parity: none, even or odd")
        String parity() default "even";

        /** @return stop bits */
        @AttributeDefinition(description = "Stop bits (1 or 2)")
        int stopBits() default 1;

        /** @return unit id */
        @AttributeDefinition(description = "Unit id (slave address), 1-247 on a serial line")
        int unitId() default 1;

        /** @return poll interval, ms */
        @AttributeDefinition(description = "Poll interval in ms (1-3600000), the pause between the end of one poll and the start of the next")
        int pollIntervalMs() default 1000;

        /** @return timeout per request, ms */
        @AttributeDefinition(description = "Timeout of every request in ms (50-60000)")
        int timeoutMs() default 1000;

        /** @return first reconnect delay, ms */
        @AttributeDefinition(description = "First reopen delay in ms; doubles per failure, with jitter, up to reconnectMaxMs")
        int reconnectMinMs() default 500;

        /** @return longest reconnect delay, ms */
        @AttributeDefinition(description = "Longest reopen delay in ms")
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
    public ModbusRtuDevice(BundleContext context, @Reference SampleSink sink, Config config) {
        this(context, sink, config, Clock.systemUTC());
    }

    ModbusRtuDevice(BundleContext context, SampleSink sink, Config c, Clock clock) {
        ModbusDevice.Settings settings;
        SerialParameters line;
        try {
            String port = ConfigChecks.required("serialPort", c.serialPort());
            ConfigChecks.range("baudRate", c.baudRate(), 300, 921_600);
            ConfigChecks.range("dataBits", c.dataBits(), 7, 8);
            ConfigChecks.range("stopBits", c.stopBits(), 1, 2);
            ConfigChecks.range("unitId", c.unitId(), 1, 247);
            int parity = switch (ConfigChecks.oneOf("parity", c.parity(), "none", "even", "odd")) {
                case "none" -> AbstractSerialConnection.NO_PARITY;
                case "odd" -> AbstractSerialConnection.ODD_PARITY;
                default -> AbstractSerialConnection.EVEN_PARITY;
            };
            int stopBits = c.stopBits() == 2 ? AbstractSerialConnection.TWO_STOP_BITS : AbstractSerialConnection.ONE_STOP_BIT;
            line = new SerialParameters(port, c.baudRate(), AbstractSerialConnection.FLOW_CONTROL_DISABLED,
                    AbstractSerialConnection.FLOW_CONTROL_DISABLED, c.dataBits(), stopBits, parity, false);
            line.setEncoding(Modbus.SERIAL_ENCODING_RTU);
            settings = ModbusDevice.Settings.of(c.deviceId(), c.unitId(), c.pollIntervalMs(), c.timeoutMs(), c.reconnectMinMs(),
                    c.reconnectMaxMs(), c.maxGap(), c.channels());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + " of device '" + c.deviceId() + "': " + e.getMessage(), e);
        }
        int timeoutMs = c.timeoutMs();
        String endpoint = line.getPortName() + " " + c.baudRate() + " " + c.dataBits() + c.parity().toUpperCase().charAt(0) + c.stopBits();
        ModbusDevice.Link link = new ModbusDevice.Link() {
            @Override
            public AbstractModbusMaster connect() throws Exception {
                ModbusSerialMaster m = new ModbusSerialMaster(line, timeoutMs);
                m.connect();
                m.setRetries(1); // one try (0 means 5 in j2mod 3.3): the timeout bounds the call; the next poll is the retry
                return m;
            }

            @Override
            public String endpoint() {
                return endpoint;
            }
        };
        this.device = new ModbusDevice(context, sink, settings, link, clock);
    }

    /** @return the device */
    ModbusDevice device() {
        return device;
    }

    /** Stops the device. */
    @Deactivate
    public void deactivate() {
        device.stop();
    }
}
