package io.millwright.driver.plc4x.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.plc4x.java.api.PlcDriver;

/** The PLC4X drivers on the test class path, as plain Java finds them. */
final class ClassPathPlcDrivers implements PlcDrivers {

    volatile boolean valid = true;

    @Override
    public Lease lease(String protocolCode) {
        for (PlcDriver d : ServiceLoader.load(PlcDriver.class)) {
            if (d.getProtocolCode().equals(protocolCode)) {
                return new Lease() {
                    @Override
                    public PlcDriver driver() {
                        return d;
                    }

                    @Override
                    public ClassLoader transports() {
                        return ClassPathPlcDrivers.class.getClassLoader();
                    }

                    @Override
                    public boolean valid() {
                        return valid;
                    }

                    @Override
                    public void release() {
                    }
                };
            }
        }
        return null;
    }

    @Override
    public List<String> installed() {
        List<String> codes = new ArrayList<>();
        ServiceLoader.load(PlcDriver.class).forEach(d -> codes.add(d.getProtocolCode()));
        return codes;
    }
}
