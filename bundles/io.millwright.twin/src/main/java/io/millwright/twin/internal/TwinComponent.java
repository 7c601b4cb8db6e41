package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmKpis;
import io.millwright.alarm.api.Alarms;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.Twin;
import io.millwright.asset.api.Twins;
import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * The twins and the alarm engine as OSGi services ({@link Twins}, {@link Alarms}), configured by PID {@value #PID}: one
 * journal reader ({@value #CURSOR}, thread {@code twin-engine}, every 250 ms) and the store in
 * {@code <millwright.data.dir>/twin}. Decided: twin state and alarms are one reader, because suppression by design is a
 * condition over the twin's operating state at the same journal position; two readers would disagree after a restart.
 */
@Component(configurationPid = TwinComponent.PID, service = {Alarms.class, Twins.class}, immediate = true)
@Designate(ocd = TwinComponent.Config.class)
public final class TwinComponent implements Alarms, Twins {

    static final String PID = "io.millwright.twin";
    static final String CURSOR = "twin";
    private static final Logger LOG = LoggerFactory.getLogger(TwinComponent.class);

    /** Engine settings. */
    @ObjectClassDefinition(name = "Millwright twin and alarms", description = "Twin state and the alarm engine")
    public @interface Config {
        /** @return the longest shelf, hours */
        @AttributeDefinition(min = "1", max = "720", description = "Longest a person may shelve an alarm, in hours (1-720)")
        int maxShelfHours() default 24;
    }

    private final TwinStore store;
    private final JournalCursor cursor;
    private final TwinReader reader;
    private final AuditTrail audit;
    private final Clock clock = Clock.systemUTC();
    private final Duration maxShelf;
    private final ScheduledExecutorService thread;
    private final Map<String, Map<String, Twin.Desired>> desires = new ConcurrentHashMap<>();

    /** The scoring engine, told of each trip and maintenance so that the models' realised accuracy can be judged. */
    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile io.millwright.analytics.api.ModelOutcomes modelOutcomes;

    /**
     * @param context for the data folder (framework property {@code millwright.data.dir})
     * @param journal the journal
     * @param sink where derived samples go
     * @param model the asset model
     * @param audit the audit trail
     * @param config settings
     */
    @Activate
    public TwinComponent(BundleContext context, @Reference Journal journal, @Reference SampleSink sink, @Reference AssetModel model,
            @Reference AuditTrail audit, Config config) {
        String data = context.getProperty("millwright.data.dir");
        Path directory = Path.of(data == null || data.isBlank() ? "data" : data).resolve("twin");
        this.audit = audit;
        this.maxShelf = Duration.ofHours(config.maxShelfHours());
        this.store = TwinStore.open(directory, clock);
        JournalCursor opened;
        try {
            opened = journal.openCursor(CURSOR, StartAt.LATEST);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.cursor = opened;
        this.reader = new TwinReader(store, cursor, sink, model, clock);
        reader.onOutcome(o -> {
            io.millwright.analytics.api.ModelOutcomes told = modelOutcomes;
            if (told != null) {
                told.record(o.asset(), java.time.Instant.ofEpochMilli(o.timeMs()), o.failure() ? io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE
                        : io.millwright.analytics.api.ModelOutcomes.Outcome.MAINTENANCE);
            }
        });
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "twin-engine");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::step, 0, 250, TimeUnit.MILLISECONDS);
        LOG.info("twin and alarms in {} from journal position {}: {} assets, {} alarms, {} events in the log", directory, reader.position(),
                reader.view(e -> e.assetSlots().size()), reader.view(e -> e.alarmSlots().size()), store.eventSequence());
    }

    private void step() {
        try {
            while (reader.step() >= TwinReader.BATCH) {
                // catch up in full batches, then rest until the next tick
            }
        } catch (RuntimeException e) {
            LOG.warn("twin engine could not process the journal: {}", e.toString(), e);
        }
    }

    // ---- Alarms ----

    @Override
    public List<Alarm> alarms() {
        return reader.view(e -> e.alarmSlots().values().stream().map(Snapshots::alarm).toList());
    }

    @Override
    public Optional<Alarm> alarm(String id) {
        return reader.view(e -> Optional.ofNullable(e.alarmSlots().get(id)).map(Snapshots::alarm));
    }

    @Override
    public List<AlarmEvent> events(long afterSequence, int max) {
        return store.events(afterSequence, Math.max(0, Math.min(max, 10_000)));
    }

    @Override
    public long lastSequence() {
        return store.eventSequence();
    }

    @Override
    public Alarm acknowledge(String id, String actor, String comment) {
        return alarmAction("alarm.acknowledge", id, actor, comment, (e, now) -> {
            var a = e.slot(id);
            e.act(a, AlarmLifecycle.acknowledge(id, a.rec, now, actor, text(comment)), now);
            return Snapshots.alarm(a);
        });
    }

    @Override
    public Alarm shelve(String id, String actor, String reason, Instant until) {
        return alarmAction("alarm.shelve", id, actor, reason + (until == null ? "" : " (until " + until + ")"), (e, now) -> {
            required("reason", reason, id);
            if (until == null || !until.isAfter(Instant.ofEpochMilli(now))) {
                throw new IllegalArgumentException("alarm " + id + ": until '" + until + "' — must lie in the future");
            }
            if (until.isAfter(Instant.ofEpochMilli(now).plus(maxShelf))) {
                throw new IllegalArgumentException("alarm " + id + ": until '" + until + "' — at most " + maxShelf.toHours()
                        + " h ahead (maxShelfHours)");
            }
            var a = e.slot(id);
            e.act(a, AlarmLifecycle.shelve(id, a.rec, now, actor, reason.trim(), until.toEpochMilli()), now);
            return Snapshots.alarm(a);
        });
    }

    @Override
    public Alarm unshelve(String id, String actor, String comment) {
        return alarmAction("alarm.unshelve", id, actor, comment, (e, now) -> {
            var a = e.slot(id);
            e.act(a, AlarmLifecycle.unshelve(id, a.rec, now, actor, text(comment)), now);
            return Snapshots.alarm(a);
        });
    }

    @Override
    public Alarm removeFromService(String id, String actor, String reason) {
        return alarmAction("alarm.remove-from-service", id, actor, reason, (e, now) -> {
            required("reason", reason, id);
            var a = e.slot(id);
            e.act(a, AlarmLifecycle.removeFromService(id, a.rec, now, actor, reason.trim()), now);
            return Snapshots.alarm(a);
        });
    }

    @Override
    public Alarm returnToService(String id, String actor, String comment) {
        return alarmAction("alarm.return-to-service", id, actor, comment, (e, now) -> {
            var a = e.slot(id);
            e.act(a, AlarmLifecycle.returnToService(id, a.rec, now, actor, text(comment)), now);
            return Snapshots.alarm(a);
        });
    }

    @Override
    public Alarm comment(String id, String actor, String comment) {
        return alarmAction("alarm.comment", id, actor, comment, (e, now) -> {
            required("comment", comment, id);
            var a = e.slot(id);
            e.act(a, AlarmLifecycle.comment(a.rec, now, actor, comment.trim()), now);
            return Snapshots.alarm(a);
        });
    }

    @Override
    public AlarmKpis kpis(Instant from, Instant to, int operators) {
        if (from == null || to == null || !to.isAfter(from)) {
            throw new IllegalArgumentException("kpis: from '" + from + "' must lie before to '" + to + "'");
        }
        if (operators < 1) {
            throw new IllegalArgumentException("kpis: operators '" + operators + "' — at least 1");
        }
        List<Alarm> now = alarms();
        return AlarmKpiCalculator.compute(store::eventsBackwards, now, from.toEpochMilli(), to.toEpochMilli(), operators, clock.millis());
    }

    // ---- Twins ----

    @Override
    public List<Twin> twins() {
        long now = clock.millis();
        return reader.view(e -> e.assetSlots().values().stream().map(s -> Snapshots.twin(s, e.referenceMs(now, reader.caughtUp()),
                e.startedMs())).toList()).stream().map(this::withDesires).toList();
    }

    @Override
    public Optional<Twin> twin(String asset) {
        long now = clock.millis();
        return reader.view(e -> Optional.ofNullable(e.assetSlots().get(asset)).map(s -> Snapshots.twin(s, e.referenceMs(now, reader.caughtUp()),
                e.startedMs()))).map(this::withDesires);
    }

    @Override
    public void desire(String asset, Twin.Desired desired) {
        desires.computeIfAbsent(asset, a -> new ConcurrentHashMap<>()).put(desired.tag(), desired);
    }

    private Twin withDesires(Twin t) {
        Map<String, Twin.Desired> asked = desires.get(t.asset());
        return asked == null || asked.isEmpty() ? t : Snapshots.withDesires(t, asked);
    }

    @Override
    public Twin startMaintenance(String asset, String actor, String note) {
        return twinAction("twin.maintenance.start", asset, actor, note, (e, now) -> {
            required("note", note, asset);
            var s = e.asset(asset);
            e.startMaintenance(s, actor, note.trim(), now);
            return Snapshots.twin(s, e.referenceMs(now, reader.caughtUp()), e.startedMs());
        });
    }

    @Override
    public Twin endMaintenance(String asset, String actor, String note) {
        return twinAction("twin.maintenance.end", asset, actor, note, (e, now) -> {
            var s = e.asset(asset);
            e.endMaintenance(s, actor, text(note), now);
            return Snapshots.twin(s, e.referenceMs(now, reader.caughtUp()), e.startedMs());
        });
    }

    // ---- audit around every action ----

    private interface Action<T> {
        T apply(Engine engine, long nowMs);
    }

    private Alarm alarmAction(String what, String id, String actor, String detail, Action<Alarm> action) {
        return audited(what, id, actor, detail, action, a -> Map.of("state", a.state().name()));
    }

    private Twin twinAction(String what, String asset, String actor, String detail, Action<Twin> action) {
        return audited(what, asset, actor, detail, action, t -> Map.of("operatingState", t.operatingState().name()));
    }

    private <T> T audited(String what, String target, String actor, String detail, Action<T> action, Function<T, Map<String, String>> after) {
        ActingAs.Who who = ActingAs.current().orElse(new ActingAs.Who(actor == null ? "gateway" : actor, "", "gateway", ""));
        String by = actor == null || actor.isBlank() ? who.actor() : actor;
        try {
            T result = reader.act(e -> action.apply(e, clock.millis()));
            audit.record(new AuditEvent(by, who.role(), who.source(), who.address(), what, target, Map.of(), after.apply(result), AuditEvent.OK,
                    text(detail)));
            return result;
        } catch (RuntimeException e) {
            audit.record(new AuditEvent(by, who.role(), who.source(), who.address(), what, target, Map.of(), Map.of(), AuditEvent.REFUSED,
                    e.getMessage()));
            throw e;
        }
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }

    private static void required(String what, String value, String target) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(target + ": " + what + " is required");
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
        try {
            reader.close();
        } catch (RuntimeException e) {
            LOG.warn("twin: last commit at stop failed: {}", e.toString());
        }
        cursor.close();
        store.close();
    }
}
