package io.millwright.health.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The data folder's filesystem (journal, history, audit, configuration): WARN under 10 % free, CRITICAL under 3 % or
 * when it cannot be read. The journal keeps its own reserve and budget; this says it before the journal has to.
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=Disk space", HealthCheck.TAGS + "=millwright", HealthCheck.TAGS + "=disk"})
public final class DiskSpaceHealthCheck implements HealthCheck {

    static final double WARN_FREE = 0.10;
    static final double CRITICAL_FREE = 0.03;
    private final Path data;

    /** @param context for millwright.data.dir */
    @Activate
    public DiskSpaceHealthCheck(BundleContext context) {
        String dir = context.getProperty("millwright.data.dir");
        this.data = Path.of(dir == null ? "data" : dir).toAbsolutePath();
    }

    DiskSpaceHealthCheck(Path data) {
        this.data = data;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        try {
            FileStore store = Files.getFileStore(data);
            long total = store.getTotalSpace();
            long usable = store.getUsableSpace();
            double free = total <= 0 ? 1 : (double) usable / total;
            String what = String.format("%s: %s free of %s (%.1f %%)", data, FormattingResultLog.bytesHumanReadable(usable),
                    FormattingResultLog.bytesHumanReadable(total), free * 100);
            if (free < CRITICAL_FREE) {
                log.critical("{}: under {} % free", what, Math.round(CRITICAL_FREE * 100));
            } else if (free < WARN_FREE) {
                log.warn("{}: under {} % free", what, Math.round(WARN_FREE * 100));
            } else {
                log.info("{}", what);
            }
        } catch (IOException e) {
            log.critical("the data folder {} cannot be examined: {}", data, e.getMessage());
        }
        return new Result(log);
    }
}
