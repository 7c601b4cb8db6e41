package io.millwright.quality.internal;

import io.millwright.api.ChannelId;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.ConsistencyRule;
import io.millwright.asset.api.AssetTag;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.quality.api.ConsistencyReport;
import io.millwright.quality.api.DataQuality;
import io.millwright.quality.api.QualityReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
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
 * Data quality per channel (PID {@value #PID}): one journal reader (durable cursor {@value #CURSOR}, thread
 * {@code quality-reader}, every {@value #STEP_MS} ms) runs the detectors of {@link ChannelQuality} over every measured channel, with
 * the engineering range and expected interval of the asset model, and hands each window's status back to ingest as
 * {@code <asset>/q.<tag>} (text: OK or the most severe issue), which trends, the uplink and STATE alarms take like any
 * channel. The cursor advances once ingest has taken what a read produced; after a restart the windows start afresh
 * from there (a window that was half counted is counted again from its start: at least once).
 */
@Component(configurationPid = QualityComponent.PID, service = DataQuality.class, immediate = true)
@Designate(ocd = QualityComponent.Config.class)
public final class QualityComponent implements DataQuality {

    static final String PID = "io.millwright.quality";
    static final String CURSOR = "quality";
    /**
     * Between steps: short, so that the reader stays within the journal's recent entries held in memory (read from there,
     * not from MapDB and a decode) even at a million samples a second; an idle step costs a look at the committed end.
     */
    static final long STEP_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(QualityComponent.class);

    /** The detectors' thresholds. */
    @ObjectClassDefinition(name = "Millwright data quality", description = "Data-quality detectors per channel")
    public @interface Config {
        /** @return window */
        @AttributeDefinition(min = "1", max = "86400", description = "Window over which each channel's quality is judged, seconds (source time)")
        int windowSeconds() default 60;

        /** @return stale factor */
        @AttributeDefinition(min = "1", description = "Stale after this many expected intervals without a sample")
        double staleFactor() default 5;

        /** @return stale minimum */
        @AttributeDefinition(min = "1", description = "... but never sooner than this, seconds")
        int staleMinSeconds() default 5;

        /** @return flatline */
        @AttributeDefinition(min = "3", description = "Equal values in a row that make a flatline (on channels that move)")
        int flatlineSamples() default 30;

        /** @return learn */
        @AttributeDefinition(min = "3", description = "Samples watched before deciding whether a channel moves from sample to sample")
        int learnSamples() default 30;

        /** @return range share */
        @AttributeDefinition(min = "0", max = "1", description = "Largest share of values outside the engineering range that is still OK")
        double outOfRangeShare() default 0.01;

        /** @return bad share */
        @AttributeDefinition(min = "0", max = "1", description = "Largest share of BAD samples that is still OK")
        double badShare() default 0.05;

        /** @return uncertain share */
        @AttributeDefinition(min = "0", max = "1", description = "Largest share of UNCERTAIN samples that is still OK")
        double uncertainShare() default 0.2;

        /** @return jitter */
        @AttributeDefinition(min = "0", description = "Largest coefficient of variation of the sampling intervals that is still OK")
        double jitterLimit() default 0.3;

        /** @return reference */
        @AttributeDefinition(min = "3", description = "Complete windows a physical-consistency rule learns its reference from (the "
                + "first after the rule is seen; kept in <data>/quality/references.properties; delete a line to learn again)")
        int referenceWindows() default 30;

        /** @return confirm */
        @AttributeDefinition(min = "1", description = "Windows a consistency shift must last, with no corroborating channel moved, "
                + "before it is called sensor drift")
        int confirmWindows() default 3;
    }

    private final JournalCursor cursor;
    private final AssetModel model;
    private final QualityEngine engine;
    private final QualityReader reader;
    private final ScheduledExecutorService thread;
    private long modelRevision = -1;

    /**
     * @param context for the data folder (framework property {@code millwright.data.dir})
     * @param journal the journal
     * @param sink where quality samples go
     * @param model ranges and expected intervals
     * @param config thresholds
     * @throws IllegalArgumentException naming the attribute and value of an invalid setting
     */
    @Activate
    public QualityComponent(BundleContext context, @Reference Journal journal, @Reference SampleSink sink, @Reference AssetModel model,
            Config config) {
        QualitySettings settings = new QualitySettings(config.windowSeconds() * 1_000_000L, config.staleFactor(),
                config.staleMinSeconds() * 1_000_000L, config.flatlineSamples(), config.learnSamples(), config.outOfRangeShare(),
                config.badShare(), config.uncertainShare(), config.jitterLimit(), 10, config.referenceWindows(), config.confirmWindows());
        this.model = model;
        String data = context.getProperty("millwright.data.dir");
        ReferenceFile references = new ReferenceFile(Path.of(data == null || data.isBlank() ? "data" : data).resolve("quality")
                .resolve("references.properties"));
        this.engine = new QualityEngine(settings, this::expectation, this::definitions, references);
        this.cursor = journal.openCursor(CURSOR, StartAt.LATEST);
        this.reader = new QualityReader(cursor, sink, engine, Clock.systemUTC());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quality-reader");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::step, 0, STEP_MS, TimeUnit.MILLISECONDS);
        LOG.info("data quality from journal position {}: windows of {} s, stale after {} intervals, flatline after {} equal values",
                cursor.position(), config.windowSeconds(), config.staleFactor(), config.flatlineSamples());
    }

    /** The asset model's range (in the device's unit, as journaled) and expected interval of a channel. */
    private ChannelQuality.Expectation expectation(ChannelId c) {
        return model.binding(c).map(b -> {
            AssetTag t = b.tag();
            double lo = t.toDevice(t.min());
            double hi = t.toDevice(t.max());
            return new ChannelQuality.Expectation(Double.isNaN(lo) ? Double.NEGATIVE_INFINITY : Math.min(lo, hi),
                    Double.isNaN(hi) ? Double.POSITIVE_INFINITY : Math.max(lo, hi), t.expectedIntervalMs() * 1000);
        }).orElse(ChannelQuality.Expectation.NONE);
    }

    /** The consistency rules of every asset's class, on the asset's channels; a rule naming a tag the asset lacks is left out. */
    private List<ConsistencyCheck.Definition> definitions() {
        List<ConsistencyCheck.Definition> out = new ArrayList<>();
        for (Asset a : model.assets()) {
            Optional<AssetClass> cls = model.assetClass(a.assetClass());
            if (cls.isEmpty()) {
                continue;
            }
            for (ConsistencyRule r : cls.get().consistency()) {
                Optional<ConsistencyCheck.Input> target = a.tag(r.tag()).map(QualityComponent::input);
                List<ConsistencyCheck.Input> terms = new ArrayList<>();
                r.terms().forEach(t -> a.tag(t.tag()).map(QualityComponent::input).ifPresent(terms::add));
                if (target.isEmpty() || terms.size() != r.terms().size()) {
                    continue;
                }
                List<ConsistencyCheck.Input> corroborate = new ArrayList<>();
                for (String c : r.corroborate()) {
                    corroborate.add(a.tag(c).map(QualityComponent::input)
                            .orElseGet(() -> new ConsistencyCheck.Input(new ChannelId(a.id(), c), DoubleUnaryOperator.identity())));
                }
                out.add(new ConsistencyCheck.Definition(a.id(), r, target.get(), terms, corroborate));
            }
        }
        return out;
    }

    private static ConsistencyCheck.Input input(AssetTag t) {
        return new ConsistencyCheck.Input(t.source(), t::toCanonical);
    }

    private void step() {
        try {
            if (model.revision() != modelRevision) {
                modelRevision = model.revision();
                engine.refreshExpectations();
            }
            reader.step();
        } catch (RuntimeException e) {
            LOG.warn("data quality: the reader could not process the journal: {}", e.toString(), e);
        }
    }

    @Override
    public List<QualityReport> channels() {
        return onReader(engine::reports);
    }

    @Override
    public Optional<QualityReport> channel(ChannelId channel) {
        return Optional.ofNullable(onReader(() -> engine.report(channel)));
    }

    @Override
    public List<ConsistencyReport> consistency() {
        return onReader(engine::consistency);
    }

    @Override
    public boolean relearn(String asset, String tag) {
        return onReader(() -> engine.relearn(asset, tag));
    }

    /** The engine belongs to the reader's thread: a query waits for the step in progress. */
    private <T> T onReader(java.util.concurrent.Callable<T> query) {
        try {
            return thread.submit(query).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("data quality: interrupted while waiting for the reader", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("data quality: the reader did not answer: " + e, e);
        }
    }

    @Deactivate
    void deactivate() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cursor.close();
    }
}
