package io.millwright.driver.plc4x.internal;

import java.util.List;
import org.apache.plc4x.java.api.PlcDriver;

/** Where a device finds the PLC4X protocol driver named by its connection string. */
interface PlcDrivers {

    /**
     * @param protocolCode e.g. {@code modbus-tcp}, {@code s7}
     * @return a lease on the driver, or null if no driver for that protocol is installed
     */
    Lease lease(String protocolCode);

    /** @return the protocol codes of the installed drivers, for messages */
    List<String> installed();

    /** A driver in use by one connection. */
    interface Lease {
        /** @return the driver */
        PlcDriver driver();

        /**
         * @return the class loader to make the context class loader while connecting: PLC4X looks its transports
         *         (tcp, udp, serial, …) up with {@link java.util.ServiceLoader} on the context class loader
         */
        ClassLoader transports();

        /** @return false once the driver has gone (its bundle stopped or was updated): the connection must be rebuilt */
        boolean valid();

        /** Gives the driver back. */
        void release();
    }
}
