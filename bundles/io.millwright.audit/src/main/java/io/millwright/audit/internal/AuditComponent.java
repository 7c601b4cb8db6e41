package io.millwright.audit.internal;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.audit.api.AuditVerification;
import io.millwright.audit.file.AuditFile;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit trail, {@code <millwright.data.dir>/audit/audit.log}. Records the gateway's start and stop so
 * that the trail shows when nobody could have acted through the gateway. At start the chain is verified (thread
 * {@code audit-verify}) and a broken chain is logged as an error (the gateway runs on: the trail is evidence, not a gate).
 */
@Component(service = AuditTrail.class)
public final class AuditComponent implements AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditComponent.class);
    private final AuditFile file;
    private final Thread verifier;

    /**
     * @param context to read the data folder ({@code millwright.data.dir}, default {@code data})
     */
    @Activate
    public AuditComponent(BundleContext context) {
        String data = context.getProperty("millwright.data.dir");
        this.file = AuditFile.open(Path.of(data == null ? "data" : data, "audit", "audit.log").toAbsolutePath());
        file.record(AuditEvent.of("gateway", "", "gateway", "", "gateway.start", "", AuditEvent.OK, ""));
        // the whole chain is read: on its own thread, so a long trail does not delay the start
        this.verifier = new Thread(() -> {
            AuditVerification check = file.verify();
            if (check.intact()) {
                LOG.info("audit trail {}: {} entries, chain intact", file.file(), check.entries());
            } else {
                LOG.error("audit trail {} is broken: {} (new entries chain on from the last one; run millwright-audit verify)",
                        file.file(), check.reason());
            }
        }, "audit-verify");
        verifier.setDaemon(true);
        verifier.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        verifier.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
        try {
            file.record(AuditEvent.of("gateway", "", "gateway", "", "gateway.stop", "", AuditEvent.OK, ""));
        } catch (RuntimeException e) {
            LOG.warn("audit trail {}: the stop could not be recorded: {}", file.file(), e.getMessage());
        }
    }

    @Override
    public AuditEntry record(AuditEvent event) {
        return file.record(event);
    }

    @Override
    public List<AuditEntry> read(long fromSequence, int max) {
        return file.read(fromSequence, max);
    }

    @Override
    public long lastSequence() {
        return file.lastSequence();
    }

    @Override
    public AuditVerification verify() {
        return file.verify();
    }
}
