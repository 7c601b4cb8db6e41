package io.millwright.logging.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards what framework bundles log through the OSGi Log Service (SCR, Configurator, FileInstall,
 * Config Admin) to SLF4J, so the gateway has one log with one level setting. Logger names are
 * {@code osgi.<bundle symbolic name>}.
 */
@Component(immediate = true, service = {})
public final class OsgiLogForwarder implements LogListener {

    /**
     * Initialises SLF4J here, on the framework's start-level thread, before any log entry is forwarded. Otherwise the
     * first {@link #logged} call, on the Log Service's own thread, may initialise it while a bundle on the start-level
     * thread asks for its logger: SLF4J 2.0 then hands that bundle a substitute logger, and one created just after
     * SLF4J finished initialising stays a no-operation logger for good — a bundle's log lines missing in some starts.
     */
    public OsgiLogForwarder() {
        LoggerFactory.getILoggerFactory();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindLogReader(LogReaderService reader) {
        reader.addLogListener(this);
    }

    void unbindLogReader(LogReaderService reader) {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        String source = entry.getBundle() == null ? "framework" : entry.getBundle().getSymbolicName();
        Logger log = LoggerFactory.getLogger("osgi." + source);
        String message = entry.getServiceReference() == null ? entry.getMessage()
                : entry.getMessage() + " [service " + entry.getServiceReference().getProperty("service.id") + "]";
        Throwable t = entry.getException();
        LogLevel level = entry.getLogLevel();
        if (isFrameworkEvent(entry.getMessage()) && level.implies(LogLevel.INFO)) {
            // every bundle and service event is logged at INFO by the Log Service: routine, so DEBUG here
            level = LogLevel.DEBUG;
        }
        switch (level) {
            case AUDIT, ERROR -> log.error(message, t);
            case WARN -> log.warn(message, t);
            case INFO -> log.info(message, t);
            case DEBUG -> log.debug(message, t);
            default -> log.trace(message, t);
        }
    }

    private static boolean isFrameworkEvent(String message) {
        return message != null
                && (message.startsWith("BundleEvent ") || message.startsWith("ServiceEvent ") || message.startsWith("FrameworkEvent "));
    }
}
