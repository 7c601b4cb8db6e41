package io.millwright.history.internal;

import io.millwright.history.api.History;
import io.millwright.history.api.HistoryQuery;
import io.millwright.history.api.HistorySeries;
import io.millwright.history.api.HistoryStatus;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history as an OSGi service, configured by PID {@value #PID}: the journal reader {@value #CURSOR} (thread
 * {@code history-rollup}, every 250 ms) and the store in {@code <millwright.data.dir>/history}.
 */
@Component(configurationPid = HistoryComponent.PID, service = History.class, immediate = true)
@Designate(ocd = HistoryComponent.Config.class)
public final class HistoryComponent implements History {

    static final String PID = "io.millwright.history";
    static final String CURSOR = "history";
    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    /** History configuration. */
    @ObjectClassDefinition(name = "Millwright history", description = "Raw samples and one-minute and one-hour rollups of every numeric channel")
    public @interface Config {
        /** @return hours of raw samples kept */
        @AttributeDefinition(min = "1", max = "8760", description = "Hours (1-8760) of raw samples kept")
        int rawRetentionHours() default 48;

        /** @return days of one-minute rollups kept */
        @AttributeDefinition(min = "1", max = "3660", description = "Days (1-3660) of one-minute rollups kept")
        int minuteRetentionDays() default 30;

        /** @return days of one-hour rollups kept */
        @AttributeDefinition(min = "1", max = "36600", description = "Days (1-36600) of one-hour rollups kept")
        int hourRetentionDays() default 1830;

        /** @return minutes of raw waveform blocks kept */
        @AttributeDefinition(min = "0", max = "10080", description = "Minutes (0-10080) of raw waveform blocks kept; their RMS is kept like any value")
        int waveformRetentionMinutes() default 60;

        /** @return the budget of all levels together, MiB */
        @AttributeDefinition(min = "1", max = "1048576", description = "Disk budget in MiB (1-1048576) of all levels together: when reached, the oldest waveforms, then raw samples, then minutes, then hours go first")
        long budgetMb() default 512;

        /** @return how often the rollups are committed, ms */
        @AttributeDefinition(min = "100", max = "60000", description = "Commit interval in ms (100-60000): how fresh the history is, and what a crash re-reads")
        int commitIntervalMs() default 1000;

        /** @return how often the store is copied to its checkpoint, minutes */
        @AttributeDefinition(min = "1", max = "1440", description = "Checkpoint interval in minutes (1-1440): how often the store is copied"
                + " (the blocks changed since the last copy) to history.db.checkpoint, which a crash inside a commit starts from; the journal keeps"
                + " what the history read since")
        int checkpointIntervalMinutes() default 60;
    }

    private final HistoryStore store;
    private final JournalCursor cursor;
    private final RollupReader reader;
    private final Journal journal;
    private final long budgetBytes;
    private final ScheduledExecutorService thread;

    /**
     * @param context to read the data folder from the framework property {@code millwright.data.dir}
     * @param journal the journal to roll up
     * @param config the configuration
     */
    @Activate
    public HistoryComponent(BundleContext context, @Reference Journal journal, Config config) {
        String data = context.getProperty("millwright.data.dir");
        Path directory = Path.of(data == null || data.isBlank() ? "data" : data).resolve("history");
        this.journal = journal;
        this.budgetBytes = config.budgetMb() << 20;
        Retention retention = new Retention(config.waveformRetentionMinutes() * 60_000_000L, config.rawRetentionHours() * HistoryStore.HOUR,
                config.minuteRetentionDays() * 24 * HistoryStore.HOUR, config.hourRetentionDays() * 24 * HistoryStore.HOUR, budgetBytes);
        this.store = HistoryStore.open(directory, Clock.systemUTC());
        JournalCursor opened;
        try {
            opened = journal.openCursor(CURSOR, StartAt.EARLIEST);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.cursor = opened;
        this.reader = new RollupReader(store, cursor, journal::statistics, Clock.systemUTC(), retention, config.commitIntervalMs(),
                config.checkpointIntervalMinutes() * 60_000L, RollupReader.READ_SAMPLES);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-rollup");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::step, 0, 250, TimeUnit.MILLISECONDS);
        LOG.info("history in {} from journal position {} (raw {} h, minutes {} d, hours {} d, budget {} MiB, checkpoint every {} min)",
                directory, reader.position(), config.rawRetentionHours(), config.minuteRetentionDays(), config.hourRetentionDays(),
                config.budgetMb(), config.checkpointIntervalMinutes());
    }

    private void step() {
        try {
            reader.step(false);
        } catch (RuntimeException e) {
            LOG.warn("history could not roll up the journal: {}", e.toString(), e);
        }
    }

    @Override
    public HistorySeries query(HistoryQuery query) {
        return store.query(query);
    }

    @Override
    public HistoryStatus status() {
        return new HistoryStatus(reader.position(), reader.lag(), store.channelCount(), store.counter("rawBlocks"), store.counter("minuteWindows"),
                store.counter("hourWindows"), store.counter("waveformBlocks"), store.fileBytes(), budgetBytes, store.counter("lostSamples"),
                store.counter("trimmedByBudget"));
    }

    @Deactivate
    void deactivate() {
        thread.shutdown();
        try {
            if (thread.awaitTermination(10, TimeUnit.SECONDS)) {
                reader.step(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("history: last commit at stop failed: {}", e.toString());
        }
        cursor.close();
        store.close();
    }
}
