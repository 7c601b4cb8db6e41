package io.millwright.kpi.internal;

import io.millwright.api.ChannelId;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.kpi.api.CostModel;
import io.millwright.kpi.api.Granularity;
import io.millwright.kpi.api.KpiPeriod;
import io.millwright.kpi.api.Kpis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * The {@link Kpis} service (PID {@value #PID}): one journal reader ({@value #CURSOR}, thread {@code kpi-reader}, every
 * 500 ms), the store in {@code <millwright.data.dir>/kpi}, the classes' KPI configurations
 * ({@code io.millwright.kpi.class~<class>}) and the assets' cost models ({@code io.millwright.kpi.cost~<asset>}).
 */
@Component(configurationPid = KpiComponent.PID, service = Kpis.class, immediate = true)
@Designate(ocd = KpiComponent.Config.class)
public final class KpiComponent implements Kpis {

    static final String PID = "io.millwright.kpi";
    static final String CURSOR = "kpi";
    private static final Logger LOG = LoggerFactory.getLogger(KpiComponent.class);

    /** The plant's calendar and the reader's settings. */
    @ObjectClassDefinition(name = "Millwright KPIs", description = "The plant's calendar and the KPI reader")
    public @interface Config {
        /** @return zone */
        @AttributeDefinition(description = "The plant's time zone (hours, shifts, days), e.g. Europe/Berlin")
        String timeZone() default "UTC";

        /** @return bucket */
        @AttributeDefinition(description = "Bucket length in minutes (divides an hour); KPI samples are written per bucket")
        int bucketMinutes() default 15;

        /** @return shifts */
        @AttributeDefinition(required = false, description = "Shifts: 'name HH:MM' (start; each runs until the next)")
        String[] shifts() default {"early 06:00", "late 14:00", "night 22:00"};

        /** @return gap */
        @AttributeDefinition(min = "1", description = "Longest time between two samples of an asset still given to its state, seconds")
        int maxGapSeconds() default 60;

        /** @return retention */
        @AttributeDefinition(min = "1", description = "Days of buckets kept")
        int retentionDays() default 400;
    }

    private final Map<KpiClassConfiguration, Boolean> classConfigs = new ConcurrentHashMap<>();
    private final Map<CostConfiguration, Boolean> costConfigs = new ConcurrentHashMap<>();
    private final AtomicLong configVersion = new AtomicLong();
    private final AssetModel model;
    private final Calendar calendar;
    private final long maxGapMs;
    private final Duration retention;
    private final KpiStore store;
    private final JournalCursor cursor;
    private final KpiReader reader;
    private final ScheduledExecutorService thread;
    private final Clock clock = Clock.systemUTC();
    private volatile KpiEngine.Setup setup;
    private volatile long setupModelRevision = -1;
    private volatile long setupConfigVersion = -1;
    private volatile List<String> problems = List.of();
    private long lastTrimMs;

    /**
     * @param context for the data folder
     * @param journal the journal
     * @param sink where KPI samples go
     * @param model the asset model
     * @param config settings
     */
    @Activate
    public KpiComponent(BundleContext context, @Reference Journal journal, @Reference SampleSink sink, @Reference AssetModel model,
            Config config) {
        this.model = model;
        this.calendar = new Calendar(ZoneId.of(config.timeZone()), config.bucketMinutes(), Calendar.parseShifts(config.shifts()));
        this.maxGapMs = config.maxGapSeconds() * 1000L;
        this.retention = Duration.ofDays(config.retentionDays());
        String data = context.getProperty("millwright.data.dir");
        Path directory = Path.of(data == null || data.isBlank() ? "data" : data).resolve("kpi");
        this.store = KpiStore.open(directory, clock);
        JournalCursor opened;
        try {
            opened = journal.openCursor(CURSOR, StartAt.LATEST);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.cursor = opened;
        this.reader = new KpiReader(store, cursor, sink, clock, this::setup);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kpi-reader");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::step, 0, 500, TimeUnit.MILLISECONDS);
        LOG.info("KPIs in {} from journal position {}: buckets of {} min, zone {}, shifts {}", directory, reader.position(),
                config.bucketMinutes(), config.timeZone(), calendar.shifts);
    }

    private void step() {
        try {
            while (reader.step() >= KpiReader.BATCH) {
                // catch up in full batches
            }
            long now = clock.millis();
            if (now - lastTrimMs > 3_600_000L) {
                lastTrimMs = now;
                reader.trim(now - retention.toMillis());
            }
        } catch (RuntimeException e) {
            LOG.warn("KPI reader could not process the journal: {}", e.toString(), e);
        }
    }

    /** @param c a class's KPI configuration */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClass(KpiClassConfiguration c) {
        classConfigs.put(c, Boolean.TRUE);
        configVersion.incrementAndGet();
    }

    void removeClass(KpiClassConfiguration c) {
        classConfigs.remove(c);
        configVersion.incrementAndGet();
    }

    /** @param c an asset's cost model */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCost(CostConfiguration c) {
        costConfigs.put(c, Boolean.TRUE);
        configVersion.incrementAndGet();
    }

    void removeCost(CostConfiguration c) {
        costConfigs.remove(c);
        configVersion.incrementAndGet();
    }

    /** @return the engine's configuration, rebuilt when the asset model or a KPI configuration changed */
    KpiEngine.Setup setup() {
        long revision = model.revision();
        long version = configVersion.get();
        KpiEngine.Setup s = setup;
        if (s != null && revision == setupModelRevision && version == setupConfigVersion) {
            return s;
        }
        synchronized (this) {
            List<String> why = new ArrayList<>();
            Map<String, KpiClass> classes = new HashMap<>();
            for (KpiClassConfiguration c : classConfigs.keySet()) {
                if (c.kpiClass() == null) {
                    why.add(c.problem());
                } else {
                    classes.put(c.kpiClass().assetClass(), c.kpiClass());
                }
            }
            Map<String, CostModel> costs = new HashMap<>();
            for (CostConfiguration c : costConfigs.keySet()) {
                if (c.cost() == null) {
                    why.add(c.problem());
                } else {
                    costs.put(c.cost().asset(), c.cost());
                }
            }
            s = build(model.assets(), n -> model.assetClass(n).orElse(null), classes, costs, calendar, maxGapMs, why);
            setup = s;
            setupModelRevision = revision;
            setupConfigVersion = version;
            problems = List.copyOf(why);
            if (!why.isEmpty()) {
                LOG.warn("KPI configurations that cannot be used: {}", why);
            }
            return s;
        }
    }

    /**
     * Binds every asset of a class with KPI configuration: its {@code twin.state}, its count, good or reject, energy and
     * reason tags (each with its conversion to the canonical unit), and its other tags (which only advance its time).
     */
    static KpiEngine.Setup build(List<Asset> assets, java.util.function.Function<String, AssetClass> classOf, Map<String, KpiClass> classes,
            Map<String, CostModel> costs, Calendar calendar, long maxGapMs, List<String> problems) {
        Map<ChannelId, KpiEngine.Binding> bindings = new HashMap<>();
        Map<String, KpiClass> classOfAsset = new HashMap<>();
        for (Asset a : assets) {
            KpiClass k = classes.get(a.assetClass());
            if (k == null) {
                continue;
            }
            if (a.tag(k.countTag()).isEmpty()) {
                problems.add("asset " + a.id() + " has no tag '" + k.countTag() + "' (countTag of io.millwright.kpi.class~" + a.assetClass() + ")");
                continue;
            }
            classOfAsset.put(a.id(), k);
            AssetClass ac = classOf.apply(a.assetClass());
            String reason = !k.reasonTag().isEmpty() ? k.reasonTag() : ac == null ? "" : ac.rules().tripTag();
            bindings.put(new ChannelId(a.id(), "twin.state"), new KpiEngine.Binding(a.id(), KpiEngine.Role.STATE, 1, 0));
            for (AssetTag t : a.tags()) {
                KpiEngine.Role role = t.name().equals(k.countTag()) ? KpiEngine.Role.COUNT
                        : t.name().equals(k.goodCountTag()) ? KpiEngine.Role.GOOD
                        : t.name().equals(k.rejectCountTag()) ? KpiEngine.Role.REJECT
                        : t.name().equals(k.energyTag()) ? KpiEngine.Role.ENERGY
                        : t.name().equals(reason) ? KpiEngine.Role.REASON : KpiEngine.Role.OTHER;
                bindings.putIfAbsent(t.source(), new KpiEngine.Binding(a.id(), role, t.scale(), t.offset()));
            }
        }
        costs.keySet().stream().filter(asset -> !classOfAsset.containsKey(asset)).forEach(asset -> problems.add(
                "io.millwright.kpi.cost~" + asset + ": asset '" + asset + "' has no KPIs (no such asset, or its class has no KPI configuration)"));
        return new KpiEngine.Setup(bindings, classOfAsset, costs, calendar, maxGapMs);
    }

    @Override
    public List<KpiPeriod> asset(String asset, Granularity granularity, long fromMs, long toMs) {
        return reader.asset(asset, granularity, fromMs, toMs);
    }

    @Override
    public List<KpiPeriod> line(String line, Granularity granularity, long fromMs, long toMs) {
        List<String> members = model.assets().stream().filter(a -> line.equals(a.line())).map(Asset::id).toList();
        return reader.line(line, members, granularity, fromMs, toMs);
    }

    @Override
    public Optional<CostModel> costModel(String asset) {
        return Optional.ofNullable(setup().costs().get(asset));
    }

    @Override
    public List<String> assets() {
        return setup().classOfAsset().keySet().stream().sorted().toList();
    }

    @Override
    public List<String> problems() {
        setup();
        return problems;
    }

    @Deactivate
    void deactivate() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            reader.close();
        } catch (RuntimeException e) {
            LOG.warn("KPIs: last commit at stop failed: {}", e.toString());
        }
        cursor.close();
        store.close();
    }
}
