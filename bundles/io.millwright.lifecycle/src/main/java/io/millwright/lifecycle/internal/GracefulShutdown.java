package io.millwright.lifecycle.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the OSGi framework when the JVM is asked to exit (SIGTERM, Ctrl-C, {@code systemctl stop}),
 * so that every component deactivates: the journal commits what is queued and closes its file, the
 * uplink publishes its offline status and disconnects. The bnd launcher's own shutdown hook only
 * deletes its temporary folder. {@code kill -9} cannot be caught; the journal's group commit bounds
 * what it can cost.
 */
@Component(immediate = true, service = {})
public final class GracefulShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final Thread hook;
    private volatile boolean deactivated;

    /**
     * @param context to reach the system bundle
     */
    @Activate
    public GracefulShutdown(BundleContext context) {
        Framework framework = (Framework) context.getBundle(0);
        hook = new Thread(() -> stop(framework), "lifecycle-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void stop(Framework framework) {
        if (deactivated) {
            return;
        }
        LOG.info("JVM shutting down: stopping the gateway");
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MILLIS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("millwright: the framework did not stop within " + STOP_TIMEOUT_MILLIS + " ms");
            }
        } catch (BundleException e) {
            System.err.println("millwright: stopping the framework failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // deactivated by the hook's own framework stop: nothing to remove
        }
    }
}
