package io.millwright.features.internal;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.ScoringModel;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.WindowAssembler;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming features for a group of assets (factory PID {@value #PID}, one configuration per feature set): reads the
 * journal through its own durable cursor {@code features-<set>}, cuts each asset's GOOD and UNCERTAIN samples into
 * windows, computes the feature set's vector with the same {@link FeatureExtractor} the training tool uses, scores
 * it with every {@link ScoringModel} service declaring that feature set, and submits the features
 * ({@code <asset>/f.<set>.<feature>}) and each model's result, urgency and lineage
 * ({@code <asset>/s.<set>.<model>.result}, {@code .urgency}, {@code .lineage}) to ingest, so they reach the journal,
 * the uplink and the live view like any other data. Channels are qualified by the feature set
 * ({@link FeatureSetDefinition#featureTag}), so two sets sharing a feature on one asset never interleave. The cursor
 * advances only after the batch was accepted: nothing is lost across restarts.
 */
@Component(configurationPid = FeatureStream.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = FeatureStream.Config.class, factory = true)
public final class FeatureStream {

    static final String PID = "io.millwright.features.stream";
    private static final Logger LOG = LoggerFactory.getLogger(FeatureStream.class);

    /** One feature set over a group of assets. */
    @ObjectClassDefinition(name = "Millwright streaming features")
    public @interface Config {
        /** @return feature set name */
        @AttributeDefinition(description = "Feature set name, e.g. pump-bearing")
        String featureSet();

        /** @return version */
        @AttributeDefinition(description = "Feature set version (models declare name and version)")
        int version() default 1;

        /** @return window */
        @AttributeDefinition(description = "Window length in seconds")
        int windowSeconds() default 60;

        /** @return hop */
        @AttributeDefinition(description = "Seconds between window starts")
        int hopSeconds() default 60;

        /** @return features */
        @AttributeDefinition(description = "Features in vector order, <tag>.<feature>, e.g. vibration.rms, speed.mean, bearing_temp.slope")
        String[] features();

        /** @return assets */
        @AttributeDefinition(description = "Assets whose samples feed the feature set, e.g. pump-1")
        String[] assets();

        /** @return poll interval */
        @AttributeDefinition(description = "How often the journal is read, ms")
        int pollIntervalMs() default 500;

        /** @return running flag */
        @AttributeDefinition(description = "Tag of the asset's running flag (boolean, or a number > 0 while running), e.g. running: windows in "
                + "which the machine did not run throughout get features but no scores (a stopped machine is not wearing). Empty: score every window")
        String runningTag() default "";
    }

    private final FeatureSetDefinition set;
    private final FeatureExtractor extractor;
    private final Set<String> assets;
    private final Set<String> tags;
    /** The journal tags of this set's features, {@code f.<set>.<feature>}. */
    private final Set<String> featureTags;
    private final String runningTag;
    private final SampleSink sink;
    private final JournalCursor cursor;
    private final Map<String, WindowAssembler> assemblers = new HashMap<>();
    private final List<ScoringModel> models = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService lane;
    private final List<Sample> pending = new ArrayList<>();
    private final Set<String> duplicateIds = new java.util.HashSet<>();
    /** Per asset, the end of the newest window whose features are in the journal: windows re-read after a restart. */
    private final Map<String, Long> lastEmitted = new HashMap<>();
    private volatile long readPosition = -1; // written by the lane only
    private long replayed;
    private volatile long notRunning;
    private volatile long windows; // written by the lane only
    private volatile long scores;

    /**
     * @param journal the journal to read
     * @param sink where features and scores go
     * @param c configuration
     * @throws IllegalArgumentException naming the PID, the feature set and the bad value
     */
    @Activate
    public FeatureStream(@Reference Journal journal, @Reference SampleSink sink, Config c) {
        try {
            this.set = new FeatureSetDefinition(c.featureSet(), c.version(), c.windowSeconds() * 1_000_000L, c.hopSeconds() * 1_000_000L,
                    List.of(c.features()));
            this.extractor = new FeatureExtractor(set);
            if (c.assets() == null || c.assets().length == 0) {
                throw new IllegalArgumentException("no assets");
            }
            if (c.pollIntervalMs() < 10) {
                throw new IllegalArgumentException("pollIntervalMs=" + c.pollIntervalMs() + ": must be >= 10");
            }
            Set<String> ft = new java.util.LinkedHashSet<>();
            for (String f : set.features()) {
                ft.add(new ChannelId("a", set.featureTag(f)).tag()); // refuses a name too long for a channel
            }
            this.featureTags = Set.copyOf(ft);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + PID + " of feature set '" + c.featureSet() + "': " + e.getMessage(), e);
        }
        this.assets = Set.of(c.assets());
        this.runningTag = c.runningTag() == null ? "" : c.runningTag().trim();
        Set<String> fed = new java.util.HashSet<>(extractor.tags());
        if (!runningTag.isEmpty()) {
            fed.add(runningTag);
        }
        this.tags = Set.copyOf(fed);
        this.sink = sink;
        this.cursor = journal.openCursor("features-" + set.name(), Journal.StartAt.LATEST);
        this.lane = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "features-" + set.name());
            t.setDaemon(true);
            return t;
        });
        lane.scheduleWithFixedDelay(this::tick, c.pollIntervalMs(), c.pollIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.info("features {}: {} features over {} s windows every {} s for {}", set.id(), set.features().size(), c.windowSeconds(),
                c.hopSeconds(), assets);
    }

    /** @param model a model; used if it declares this feature set (public for use outside OSGi: the benchmark) */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addModel(ScoringModel model) {
        models.add(model);
    }

    /** @param model a model gone */
    public void removeModel(ScoringModel model) {
        models.remove(model);
    }

    private void tick() {
        try {
            if (readPosition < 0) {
                resume();
            }
            if (!pending.isEmpty() && !flush()) {
                return; // ingest is full: try again, read nothing more meanwhile
            }
            JournalRead read = cursor.readFrom(readPosition, 20_000);
            for (JournalEntry e : read.entries()) {
                for (Sample s : e.samples()) {
                    if (assets.contains(s.channel().asset()) && tags.contains(s.channel().tag()) && s.quality().level() != QualityLevel.BAD) {
                        assemblers.computeIfAbsent(s.channel().asset(), a -> new WindowAssembler(set.windowMicros(), set.hopMicros(),
                                w -> window(a, w))).accept(s.channel().tag(), s.sourceTimeMicros(), s.value(), e.position());
                    }
                }
            }
            readPosition = read.nextPosition();
            if (flush()) {
                // durable only up to the oldest sample of a window still open: a restart re-reads what it needs
                long safe = readPosition;
                for (WindowAssembler a : assemblers.values()) {
                    safe = Math.min(safe, a.oldestPosition());
                }
                if (safe > cursor.position()) {
                    cursor.advance(safe);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("features {}: {}", set.id(), e.toString(), e);
        }
    }

    /**
     * Where the durable cursor stands, windows that were open at the last stop start again; windows completed then
     * have their features after that point in the journal: those are noted, so that they are not computed twice.
     */
    private void resume() {
        long end = cursor.position();
        for (JournalRead r = cursor.readFrom(end, 20_000); !r.entries().isEmpty(); r = cursor.readFrom(r.nextPosition(), 20_000)) {
            for (JournalEntry e : r.entries()) {
                for (Sample s : e.samples()) {
                    String tag = s.channel().tag();
                    if (assets.contains(s.channel().asset()) && featureTags.contains(tag)) {
                        lastEmitted.merge(s.channel().asset(), s.sourceTimeMicros(), Math::max);
                    }
                }
            }
        }
        readPosition = end;
        if (!lastEmitted.isEmpty()) {
            LOG.info("features {}: resuming at journal position {}; windows up to {} (µs, per asset) already have their features", set.id(), end,
                    lastEmitted);
        }
    }

    private void window(String asset, WindowAssembler.Window w) {
        if (w.range().toMicros() <= lastEmitted.getOrDefault(asset, Long.MIN_VALUE)) {
            replayed++;
            return; // computed before the restart
        }
        lastEmitted.put(asset, w.range().toMicros());
        FeatureVector v = extractor.extract(asset, w.range(), w.channels());
        windows++;
        long t = w.range().toMicros();
        double[] values = v.values();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                pending.add(Sample.of(new ChannelId(asset, set.featureTag(v.names().get(i))), t, Value.of(values[i]), Quality.GOOD));
            }
        }
        if (!runningThroughout(w)) {
            notRunning++;
            return; // features yes, scores no: the machine stopped (or its flag is missing) in this window
        }
        Set<String> scoredBy = new java.util.HashSet<>();
        for (ScoringModel m : models) {
            FeatureSetDefinition declared = m.featureSet();
            if (!declared.name().equals(set.name()) || declared.version() != set.version()) {
                continue;
            }
            if (!scoredBy.add(m.id())) {
                if (duplicateIds.add(m.id())) {
                    LOG.warn("features {}: two scoring model services with id {}; only the first scores (an engine serves one per id)", set.id(), m.id());
                }
                continue;
            }
            try {
                Score s = m.score(v);
                List<Sample> out = new ArrayList<>(4);
                out.add(Sample.of(new ChannelId(asset, set.scoreTag(s.modelId(), "result")), t, Value.of(s.result()), Quality.GOOD));
                out.add(Sample.of(new ChannelId(asset, set.scoreTag(s.modelId(), "urgency")), t, Value.of(s.urgency().name()), Quality.GOOD));
                ChannelId lineageChannel = new ChannelId(asset, set.scoreTag(s.modelId(), "lineage"));
                String cid = io.millwright.api.CorrelationId.of(lineageChannel, t);
                out.add(Sample.of(lineageChannel, t, Value.of("cid=" + cid + " " + lineage(s)), Quality.GOOD));
                if (LOG.isDebugEnabled()) {
                    LOG.debug("features {}: {} scored {} = {} ({}) by {} {} over journal {}..{}", set.id(), cid, asset, s.result(), s.urgency(),
                            s.modelId(), s.modelVersion(), s.window().journalFrom(), s.window().journalTo());
                }
                if (!s.shadow().isEmpty()) {
                    out.add(Sample.of(new ChannelId(asset, set.scoreTag(s.modelId(), "shadow")), t, Value.of(s.shadow()), Quality.GOOD));
                }
                pending.addAll(out);
                scores++;
            } catch (RuntimeException e) {
                LOG.error("features {}: model {} could not score {}: {}", set.id(), m.id(), asset, e.getMessage());
            }
        }
    }

    private boolean runningThroughout(WindowAssembler.Window w) {
        if (runningTag.isEmpty()) {
            return true;
        }
        return io.millwright.features.ChannelWindow.runningThroughout(w.channels().get(runningTag));
    }

    static String lineage(Score s) {
        return String.format(Locale.ROOT,
                "model=%s version=%s sha256=%s featureSet=%s@%d journal=%d..%d time=%d..%d policy=[%s] result=%.3f label=%s urgency=%s action=[%s]"
                        + (s.shadow().isEmpty() ? "" : " shadow=" + s.shadow()),
                s.modelId(), s.modelVersion(), s.modelSha256(), s.featureSet(), s.featureSetVersion(), s.window().journalFrom(), s.window().journalTo(),
                s.window().fromMicros(), s.window().toMicros(), s.thresholdPolicy(), s.result(), s.label(), s.urgency(), s.recommendedAction());
    }

    /** @return true once nothing is pending */
    private boolean flush() {
        if (pending.isEmpty()) {
            return true;
        }
        if (sink.submit(new SampleBatch("features-" + set.name(), List.copyOf(pending))) == SubmitResult.OVERRUN) {
            return false;
        }
        pending.clear();
        return true;
    }

    /** @return the journal position up to which this stream has read and handed its results to ingest; -1 before the first read */
    public long readPosition() {
        return pending.isEmpty() ? readPosition : -1;
    }

    /** @return windows computed since activation */
    public long windows() {
        return windows;
    }

    /** @return windows not scored because the machine did not run throughout */
    public long notRunning() {
        return notRunning;
    }

    /** @return scores written since activation */
    public long scores() {
        return scores;
    }

    /**
     * Stops reading: waits for a tick in progress (bounded), so that a new instance of this feature set never opens
     * the cursor while this one still reads or advances it, then gives the cursor back.
     */
    @Deactivate
    public void deactivate() {
        lane.shutdown();
        try {
            if (!lane.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("features {}: a tick still runs after 10 s; interrupting it", set.id());
                lane.shutdownNow();
                lane.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            lane.shutdownNow();
            Thread.currentThread().interrupt();
        }
        cursor.close();
        LOG.info("features {}: stopped after {} windows, {} scores, {} windows not scored (not running throughout), {} windows re-read after the"
                + " last stop, not recomputed", set.id(), windows, scores, notRunning, replayed);
    }
}
