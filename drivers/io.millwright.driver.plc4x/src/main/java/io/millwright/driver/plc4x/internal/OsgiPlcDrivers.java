package io.millwright.driver.plc4x.internal;

import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.plc4x.java.api.PlcDriver;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The PLC4X drivers of the framework: the {@link PlcDriver} services that PLC4X's own {@code DriverActivator} registers
 * for each driver bundle (service property {@value #CODE}), and the transports that its {@code TransportActivator}
 * registers. PLC4X's {@code DefaultPlcDriverManager} finds nothing in OSGi (it scans the class path), hence this.
 */
final class OsgiPlcDrivers implements PlcDrivers {

    static final String CODE = "org.apache.plc4x.driver.code";
    private static final String TRANSPORT = "org.apache.plc4x.java.spi.transport.Transport";

    private final BundleContext context;
    private TransportsClassLoader transports;

    OsgiPlcDrivers(BundleContext context) {
        this.context = context;
    }

    @Override
    public Lease lease(String protocolCode) {
        ServiceReference<PlcDriver> ref;
        try {
            ref = context.getServiceReferences(PlcDriver.class, "(" + CODE + "=" + protocolCode + ")").stream()
                    .sorted(Collections.reverseOrder()).findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            return null; // the code is checked to be [a-z0-9-]+ before
        }
        PlcDriver driver = ref == null ? null : context.getService(ref);
        if (driver == null) {
            return null;
        }
        ClassLoader transports = transports();
        return new Lease() {
            @Override
            public PlcDriver driver() {
                return driver;
            }

            @Override
            public ClassLoader transports() {
                return transports;
            }

            @Override
            public boolean valid() {
                return ref.getBundle() != null;
            }

            @Override
            public void release() {
                try {
                    context.ungetService(ref);
                } catch (IllegalStateException | IllegalArgumentException gone) {
                    // our bundle or the driver's is stopping
                }
            }
        };
    }

    /**
     * @return a loader over the current transport bundles, the same instance while they do not change: Netty's
     *         threads inherit it as their context class loader, so a new one per connection would pile up
     */
    private synchronized ClassLoader transports() {
        List<ClassLoader> loaders = transportLoaders();
        if (transports == null || !transports.loaders.equals(loaders)) {
            transports = new TransportsClassLoader(loaders);
        }
        return transports;
    }

    private List<ClassLoader> transportLoaders() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(TRANSPORT, null);
            for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
                Bundle b = r.getBundle();
                BundleWiring wiring = b == null ? null : b.adapt(BundleWiring.class);
                if (wiring != null && wiring.getClassLoader() != null) {
                    loaders.add(wiring.getClassLoader());
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return List.copyOf(loaders);
    }

    @Override
    public List<String> installed() {
        try {
            List<String> codes = new ArrayList<>();
            for (ServiceReference<PlcDriver> r : context.getServiceReferences(PlcDriver.class, null)) {
                codes.add(String.valueOf(r.getProperty(CODE)));
            }
            Collections.sort(codes);
            return codes;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sees the service files and classes of every transport bundle, for PLC4X's {@code ServiceLoader} lookup. */
    static final class TransportsClassLoader extends ClassLoader {

        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final List<ClassLoader> loaders;

        TransportsClassLoader(List<ClassLoader> loaders) {
            super(null);
            this.loaders = loaders;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            for (ClassLoader l : loaders) {
                try {
                    return l.loadClass(name);
                } catch (ClassNotFoundException next) {
                    // try the next transport bundle
                }
            }
            throw new ClassNotFoundException(name + " (in no PLC4X transport bundle)");
        }

        @Override
        protected URL findResource(String name) {
            for (ClassLoader l : loaders) {
                URL u = l.getResource(name);
                if (u != null) {
                    return u;
                }
            }
            return null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws java.io.IOException {
            List<URL> all = new ArrayList<>();
            for (ClassLoader l : loaders) {
                all.addAll(Collections.list(l.getResources(name)));
            }
            return Collections.enumeration(new ArrayList<>(new LinkedHashSet<>(all)));
        }

        @Override
        public String toString() {
            return "PLC4X transports " + Arrays.toString(loaders.toArray());
        }
    }
}
