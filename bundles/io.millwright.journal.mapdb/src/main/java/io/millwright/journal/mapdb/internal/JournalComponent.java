package io.millwright.journal.mapdb.internal;

import io.millwright.api.SampleBatch;
import io.millwright.journal.api.AppendResult;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalStatistics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The journal as an OSGi service, configured by PID {@value #PID}. The journal's directory
 * defaults to {@code <millwright.data.dir>/journal}; the framework property
 * {@code millwright.data.dir} defaults to {@code data} in the working directory.
 */
@Component(configurationPid = JournalComponent.PID, service = Journal.class, immediate = true)
@Designate(ocd = JournalComponent.Config.class)
public final class JournalComponent implements Journal {

    static final String PID = "io.millwright.journal";

    /** Journal configuration. */
    @ObjectClassDefinition(name = "Millwright journal", description = "Durable journal of every accepted sample")
    public @interface Config {
        /** @return directory of the journal files; empty for {@code <millwright.data.dir>/journal} */
        @AttributeDefinition(description = "Directory of the journal files; empty for <millwright.data.dir>/journal")
        String directory() default "";

        /** @return longest wait of an appended sample for its group commit, ms */
        @AttributeDefinition(min = "1", max = "10000", description = "Group commit interval in ms (1-10000): the longest an accepted sample waits to be durable")
        int commitIntervalMs() default 50;

        /** @return appended but uncommitted samples beyond which appends are refused */
        @AttributeDefinition(min = "1000", description = "Samples queued for commit beyond which appends are refused (overrun; at least 1000)")
        int maxPendingSamples() default 500_000;

        /** @return disk budget for sample payload, MiB */
        @AttributeDefinition(min = "1", max = "1073741824", description = "Disk budget for retained sample payload in MiB (1-1073741824); when reached the oldest entries are dropped and reported as gaps")
        long budgetMb() default 1024;

        /** @return samples per entry at most */
        @AttributeDefinition(min = "1", max = "1000000", description = "Samples per journal entry at most (1-1000000)")
        int maxEntrySamples() default 4096;

        /** @return free space the journal leaves on its filesystem, MiB */
        @AttributeDefinition(min = "1", max = "1048576", description = "Free space in MiB (1-1048576) the journal leaves on its filesystem: below it the oldest entries make room for new ones (gap reason disk-space); when that is not enough the journal is DISK_FULL and refuses samples until space returns")
        long reserveMb() default 16;

        /** @return memory of samples queued for commit beyond which appends are refused, MiB */
        @AttributeDefinition(min = "1", max = "65536", description = "Memory in MiB (1-65536) of samples queued for commit beyond which appends are refused (overrun)")
        long maxPendingMb() default 32;
    }

    private final MapDbJournal journal;

    /**
     * @param context to read the data folder from the framework property {@code millwright.data.dir}
     * @param config the configuration
     * @throws IllegalArgumentException naming the PID, the attribute and the value if the configuration is invalid
     */
    @Activate
    public JournalComponent(BundleContext context, Config config) {
        Settings settings = settings(context, config);
        MapDbJournal opened;
        try {
            opened = new MapDbJournal(settings, Clock.systemUTC());
        } catch (JournalUnavailableException e) {
            // a gateway that cannot journal accepts no sample: leave at once with the reason, instead of running on
            // without a journal (nothing has been accepted yet, so nothing is lost)
            LOG.error("journal unavailable, the gateway stops (exit status {}): {}", EXIT_UNAVAILABLE, e.getMessage(), e);
            System.err.println("millwright: the journal cannot be opened: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_UNAVAILABLE);
            throw e;
        }
        this.journal = opened;
    }

    /** Exit status of a gateway whose journal cannot be opened. */
    static final int EXIT_UNAVAILABLE = 4;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalComponent.class);

    static Settings settings(BundleContext context, Config config) {
        String dir = config.directory();
        if (dir == null || dir.isBlank()) {
            String data = context.getProperty("millwright.data.dir");
            dir = Path.of(data == null || data.isBlank() ? "data" : data, "journal").toString();
        }
        try {
            if (config.budgetMb() < 1 || config.budgetMb() > 1L << 30) {
                throw new IllegalArgumentException("budgetMb=" + config.budgetMb() + ": must be 1..1073741824");
            }
            if (config.reserveMb() < 1 || config.reserveMb() > 1L << 20) {
                throw new IllegalArgumentException("reserveMb=" + config.reserveMb() + ": must be 1..1048576");
            }
            if (config.maxPendingMb() < 1 || config.maxPendingMb() > 65536) {
                throw new IllegalArgumentException("maxPendingMb=" + config.maxPendingMb() + ": must be 1..65536");
            }
            return new Settings(Path.of(dir).toAbsolutePath(), Duration.ofMillis(config.commitIntervalMs()),
                    config.maxPendingSamples(), config.budgetMb() * 1024 * 1024, config.maxEntrySamples(),
                    config.reserveMb() << 20, config.maxPendingMb() << 20);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes a configuration change in place: the journal, its cursors and its readers stay.
     *
     * @param context the bundle context
     * @param config the new configuration
     */
    @Modified
    void modified(BundleContext context, Config config) {
        try {
            journal.reconfigure(settings(context, config));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage().startsWith("configuration ") ? e.getMessage() : "configuration " + PID + ": " + e.getMessage();
            throw new IllegalArgumentException(message + "; the journal keeps its previous settings", e);
        }
    }

    @Deactivate
    void deactivate() {
        journal.close();
    }

    @Override
    public AppendResult append(SampleBatch batch) {
        return journal.append(batch);
    }

    @Override
    public JournalCursor openCursor(String name, StartAt startAt) {
        return journal.openCursor(name, startAt);
    }

    @Override
    public boolean deleteCursor(String name) {
        return journal.deleteCursor(name);
    }

    @Override
    public JournalStatistics statistics() {
        return journal.statistics();
    }
}
