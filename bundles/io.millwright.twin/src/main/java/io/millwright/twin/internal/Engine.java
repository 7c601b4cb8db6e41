package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmKind;
import io.millwright.alarm.api.AlarmTransition;
import io.millwright.api.BooleanValue;
import io.millwright.api.ChannelId;
import io.millwright.api.CorrelationId;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.twin.internal.Slots.AlarmSlot;
import io.millwright.twin.internal.Slots.AssetSlot;
import io.millwright.twin.internal.Slots.TagSlot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Twin state and alarm evaluation for every configured asset: samples of bound channels update the twin's reported
 * values, drive the alarms that watch them and, for the class's rule tags, the operating state (and with it the
 * suppression by design); the clock expires shelves and finds stale data; people's actions go through the same
 * lifecycle. Every transition becomes an {@link AlarmEvent} with the next sequence number and a text sample on the
 * asset's {@code alarm.<name>} channel; operating state and health changes become samples on {@code twin.state} and
 * {@code twin.health}. Single-threaded: the caller holds the engine's lock.
 */
final class Engine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);

    static final long CHATTER_QUIET_MS = 10 * 60_000;
    static final long REPORTED_FLUSH_MS = 30_000;

    private final Map<ChannelId, TagSlot> bySource = new HashMap<>();
    private final Map<String, AssetSlot> assets = new TreeMap<>();
    private final Map<String, AlarmSlot> alarms = new LinkedHashMap<>();
    private final Map<String, List<AssetSlot>> lines = new HashMap<>();
    private final List<AlarmEvent> newEvents = new ArrayList<>();
    private final List<Sample> newOut = new ArrayList<>();
    private final Map<String, AlarmRecord> parkedAlarms = new HashMap<>();
    private final Map<String, TwinRecord> parkedTwins = new HashMap<>();
    private final long startedMs;
    private long eventSequence;
    private long latestArrivalMs;
    private TagSlot[] slotsOfRun = new TagSlot[4096];

    Engine(long eventSequence, long startedMs) {
        this.eventSequence = eventSequence;
        this.startedMs = startedMs;
    }

    /**
     * (Re)builds the slots from the model, keeping the records of alarms and twins that stay.
     *
     * @param model the assets
     * @param classes class by name
     * @param storedAlarms records from the store (first compile)
     * @param storedTwins records from the store (first compile)
     */
    void compile(List<Asset> model, Function<String, AssetClass> classes, Map<String, AlarmRecord> storedAlarms,
            Map<String, TwinRecord> storedTwins) {
        // records of alarms and assets not (or no longer) configured are parked, never dropped: at start the model
        // arrives one configuration at a time, and a configuration that comes back finds its states again
        parkedAlarms.putAll(storedAlarms);
        alarms.forEach((id, slot) -> parkedAlarms.put(id, slot.rec));
        parkedTwins.putAll(storedTwins);
        assets.forEach((id, slot) -> parkedTwins.put(id, slot.twin));
        Map<String, AlarmRecord> keepAlarms = parkedAlarms;
        Map<String, TwinRecord> keepTwins = parkedTwins;
        bySource.clear();
        assets.clear();
        alarms.clear();
        lines.clear();
        for (Asset a : model) {
            AssetClass cls = classes.apply(a.assetClass());
            if (cls == null) {
                continue;
            }
            TwinRecord twin = keepTwins.remove(a.id());
            AssetSlot as = new AssetSlot(a, cls, twin == null ? new TwinRecord() : twin);
            for (AssetTag t : a.tags()) {
                TagSlot ts = new TagSlot(as, t, as.twin.tag(t.name()), true);
                as.tags.put(t.name(), ts);
                bySource.put(t.source(), ts);
            }
            as.twin.tags.keySet().retainAll(as.tags.keySet());
            as.running = as.tags.get(cls.rules().runningTag());
            as.trip = as.tags.get(cls.rules().tripTag());
            as.load = as.tags.get(cls.rules().loadTag());
            as.urgency = as.tags.get(cls.rules().urgencyTag());
            as.lineage = as.tags.get(cls.rules().lineageTag());
            for (TagSlot rule : new TagSlot[] {as.running, as.trip, as.load}) {
                if (rule != null) {
                    rule.rule = true;
                }
            }
            List<AlarmSlot> own = new ArrayList<>();
            Map<TagSlot, List<AlarmSlot>> byTag = new HashMap<>();
            for (AlarmDefinition d : a.alarms()) {
                String id = a.id() + "/" + d.name();
                AlarmRecord stored = keepAlarms.remove(id);
                AlarmRecord rec = stored == null ? new AlarmRecord() : stored;
                TagSlot tag = as.tags.get(d.tag());
                AlarmSlot slot = new AlarmSlot(id, d, rec, as, tag, d.setpointTag().isEmpty() ? null : as.tags.get(d.setpointTag()),
                        cls.runbooks().get(d.name()));
                own.add(slot);
                alarms.put(id, slot);
                byTag.computeIfAbsent(tag, k -> new ArrayList<>()).add(slot);
            }
            as.alarms = own.toArray(Slots.NO_ALARMS);
            byTag.forEach((tag, list) -> tag.alarms = list.toArray(Slots.NO_ALARMS));
            assets.put(a.id(), as);
            lines.computeIfAbsent(as.lineKey, k -> new ArrayList<>()).add(as);
        }
        for (AssetSlot as : assets.values()) {
            as.dirty = true;
            settleOperatingState(as, as.twin.stateSinceMs == 0 ? startedMs : as.twin.stateSinceMs, false);
        }
    }

    /**
     * Applies committed samples in order. Samples of one source time (a device's poll) are applied in two phases: first
     * every tag's reported value and the operating states they imply, then the alarms — so that a trip that arrives in the
     * same poll as the low flow it causes suppresses that alarm whatever the order of the channels in the poll.
     *
     * @param samples samples of one journal entry; those whose channel is bound to no asset tag are skipped
     */
    void onSamples(List<Sample> samples) {
        int n = samples.size();
        if (slotsOfRun.length < n) {
            slotsOfRun = new TagSlot[Math.max(n, 2 * slotsOfRun.length)];
        }
        TagSlot[] slots = slotsOfRun;
        int i = 0;
        while (i < n) {
            long t = samples.get(i).sourceTimeMicros();
            int j = i;
            boolean rules = false;
            while (j < n && samples.get(j).sourceTimeMicros() == t) {
                Sample s = samples.get(j);
                TagSlot ts = bySource.get(s.channel());
                slots[j] = ts;
                if (ts != null) {
                    rules |= report(ts, s);
                }
                j++;
            }
            if (rules) {
                for (int k = i; k < j; k++) {
                    if (slots[k] != null && slots[k].rule) {
                        applyOperatingState(slots[k].owner, t / 1000, true);
                    }
                }
            }
            for (int k = i; k < j; k++) {
                TagSlot ts = slots[k];
                if (ts != null && ts.alarms.length > 0) {
                    evaluate(ts, samples.get(k));
                }
            }
            if (rules) {
                for (int k = i; k < j; k++) {
                    if (slots[k] != null && slots[k].rule) {
                        liftSuppression(slots[k].owner, t / 1000);
                    }
                }
            }
            i = j;
        }
    }

    /** @return whether the tag is one of its class's rule tags */
    private boolean report(TagSlot ts, Sample s) {
        long t = s.sourceTimeMicros() / 1000;
        long arrival = s.ingestTimeMicros() / 1000;
        if (arrival > latestArrivalMs) {
            latestArrivalMs = arrival;
        }
        Value v = s.value();
        TwinRecord.TagState st = ts.state;
        if (v instanceof StringValue sv) {
            st.number = Double.NaN;
            st.text = sv.value();
        } else if (v instanceof BooleanValue b) {
            st.number = b.value() ? 1 : 0;
            st.text = b.value() ? "true" : "false";
        } else {
            st.number = ts.tag.toCanonical(v.asDouble());
            st.text = "";
        }
        st.quality = (byte) s.quality().level().ordinal();
        st.reason = s.quality().reason();
        st.timeMs = t;
        st.arrivalMs = arrival;
        ts.owner.dirty = true;
        if (t > ts.owner.twin.updatedMs) {
            ts.owner.twin.updatedMs = t;
        }
        return ts.rule;
    }

    private void evaluate(TagSlot ts, Sample s) {
        long t = s.sourceTimeMicros() / 1000;
        Value v = s.value();
        double number;
        String text;
        if (v instanceof StringValue sv) {
            number = Double.NaN;
            text = sv.value();
        } else if (v instanceof BooleanValue b) {
            number = b.value() ? 1 : 0;
            text = b.value() ? "true" : "false";
        } else {
            number = ts.tag.toCanonical(v.asDouble());
            text = null;
        }
        boolean bad = s.quality().level() == QualityLevel.BAD;
        for (AlarmSlot a : ts.alarms) {
            double sp = a.setpoint == null ? Double.NaN : a.setpoint.state.number;
            AlarmRecord r = a.rec;
            long pending = r.pendingSinceMs;
            boolean raw = r.rawActive;
            AlarmLifecycle.Change change = AlarmConditions.onSample(a.def, r, t, number, text, bad, sp, ts.tag.unit());
            if (change != null && change.transition() == AlarmTransition.ACTIVATED) {
                r.correlation = CorrelationId.of(s.channel(), s.sourceTimeMicros());
            }
            record(a, change, t);
            if (pending != r.pendingSinceMs || raw != r.rawActive || a.def.kind() == AlarmKind.RATE) {
                dirtyAlarms.add(a.id); // a running delay or the condition's memory: stored so that it survives a restart
            }
        }
    }

    /**
     * The clock: shelves that expire, stale data, chattering that calmed down, health that changed.
     *
     * @param nowMs wall-clock time
     * @param caughtUp whether the reader is at the journal's end (then staleness is measured against now, else against the
     *     newest arrival read, so a reader catching up does not see every tag as stale)
     */
    void tick(long nowMs, boolean caughtUp) {
        long reference = caughtUp ? Math.max(nowMs, latestArrivalMs) : latestArrivalMs;
        for (AlarmSlot a : alarms.values()) {
            record(a, AlarmLifecycle.expireShelf(a.rec, nowMs), nowMs);
            if (a.def.kind() == AlarmKind.STALE && reference > 0) {
                long arrival = Math.max(a.tag.state.arrivalMs, startedMs);
                record(a, AlarmConditions.onClock(a.def, a.rec, reference, arrival, a.tag.tag.expectedIntervalMs()), reference);
            }
            if (a.rec.chattering && nowMs - a.rec.lastActivation() > CHATTER_QUIET_MS) {
                record(a, AlarmLifecycle.chattering(a.rec, false, "no activation for " + CHATTER_QUIET_MS / 60_000 + " min"), nowMs);
            }
        }
        for (AssetSlot as : assets.values()) {
            updateHealth(as, reference, nowMs);
        }
    }

    /** Ends a batch: health of the assets that changed. */
    void finishBatch(long nowMs, boolean caughtUp) {
        long reference = caughtUp ? Math.max(nowMs, latestArrivalMs) : latestArrivalMs;
        for (AssetSlot as : assets.values()) {
            if (as.dirty) {
                updateHealth(as, reference, as.twin.updatedMs);
            }
        }
    }

    // ---- people's actions ----

    AlarmSlot slot(String id) {
        AlarmSlot a = alarms.get(id);
        if (a == null) {
            throw new NoSuchElementException("no alarm '" + id + "' (ids are asset/name, e.g. "
                    + (alarms.isEmpty() ? "pump-1/bearing_temperature_hi" : alarms.keySet().iterator().next()) + ")");
        }
        return a;
    }

    void act(AlarmSlot a, AlarmLifecycle.Change change, long nowMs) {
        record(a, change, nowMs);
    }

    AssetSlot asset(String id) {
        AssetSlot as = assets.get(id);
        if (as == null) {
            throw new NoSuchElementException("no asset '" + id + "'; configured: " + assets.keySet());
        }
        return as;
    }

    void startMaintenance(AssetSlot as, String actor, String note, long nowMs) {
        if (as.twin.maintenance != null) {
            throw new IllegalStateException("asset " + as.asset.id() + " is already in maintenance (since "
                    + java.time.Instant.ofEpochMilli(as.twin.maintenance.startedMs()) + ", by " + as.twin.maintenance.by() + ")");
        }
        as.twin.maintenance = new Twin.Maintenance(nowMs, 0, actor, note, "", "");
        as.dirty = true;
        dirtyTwins.add(as.asset.id()); // committed before the action returns
        settleOperatingState(as, nowMs, true);
    }

    void endMaintenance(AssetSlot as, String actor, String note, long nowMs) {
        Twin.Maintenance m = as.twin.maintenance;
        if (m == null) {
            throw new IllegalStateException("asset " + as.asset.id() + " is not in maintenance");
        }
        as.twin.lastMaintenance = new Twin.Maintenance(m.startedMs(), nowMs, m.by(), m.note(), actor, note);
        as.twin.maintenance = null;
        as.dirty = true;
        dirtyTwins.add(as.asset.id());
        settleOperatingState(as, nowMs, true);
    }

    // ---- internals ----

    /**
     * A trip (a failure) or the start of a maintenance, as the twin saw it: what the models' realised accuracy is
     * judged against.
     *
     * @param asset the asset
     * @param timeMs when (source time)
     * @param failure a trip; false for a maintenance
     */
    record AssetOutcome(String asset, long timeMs, boolean failure) {
    }

    private final List<AssetOutcome> outcomes = new ArrayList<>();

    /** @return the trips and maintenances seen since the last call */
    List<AssetOutcome> drainOutcomes() {
        synchronized (outcomes) {
            List<AssetOutcome> out = List.copyOf(outcomes);
            outcomes.clear();
            return out;
        }
    }

    /** Derives the operating state; a change is journaled and suppresses by design at once (lifting comes after). */
    private void applyOperatingState(AssetSlot as, long t, boolean journal) {
        OperatingState next = derive(as);
        if (next != as.twin.state) {
            if (journal && (next == OperatingState.TRIPPED || next == OperatingState.MAINTENANCE)) {
                synchronized (outcomes) {
                    outcomes.add(new AssetOutcome(as.asset.id(), t, next == OperatingState.TRIPPED));
                }
            }
            as.previousState = as.twin.state;
            as.twin.state = next;
            as.twin.stateSinceMs = t;
            as.dirty = true;
            dirtyTwins.add(as.asset.id());
            if (journal) {
                out(as.asset.id(), "twin.state", t, next.name());
            }
            as.twin.updatedMs = Math.max(as.twin.updatedMs, t);
            String key = next.key();
            for (AlarmSlot a : as.alarms) {
                if (a.def.suppressWhen().contains(key)) {
                    record(a, AlarmLifecycle.suppress(a.rec, t, true, "asset " + key + " (suppressed by design while "
                            + String.join(", ", a.def.suppressWhen()) + ")"), t);
                }
            }
        }
    }

    /**
     * Lifts the suppressions the operating state no longer calls for: after the conditions of the same poll were
     * evaluated, so that a condition the new state clears (low flow of a pump that starts again) is not annunciated first.
     */
    private void liftSuppression(AssetSlot as, long t) {
        String key = as.twin.state.key();
        for (AlarmSlot a : as.alarms) {
            if (a.rec.suppressed && !a.def.suppressWhen().contains(key)) {
                record(a, AlarmLifecycle.suppress(a.rec, t, false, "asset " + key + " (was " + as.previousState.key() + ")"), t);
            }
        }
    }

    private void settleOperatingState(AssetSlot as, long t, boolean journal) {
        applyOperatingState(as, t, journal);
        liftSuppression(as, t);
    }

    private static OperatingState derive(AssetSlot as) {
        if (as.twin.maintenance != null) {
            return OperatingState.MAINTENANCE;
        }
        TagSlot run = as.running;
        if (run == null || run.state.timeMs == 0) {
            return OperatingState.UNKNOWN;
        }
        if (run.state.number > 0.5) {
            double idle = as.cls.rules().idleBelow();
            if (as.load != null && as.load.state.number < idle) {
                return OperatingState.IDLE;
            }
            return OperatingState.RUNNING;
        }
        if (as.trip != null && !as.trip.state.text.isEmpty()) {
            return OperatingState.TRIPPED;
        }
        return OperatingState.STOPPED;
    }

    /**
     * Journals the health when what it is computed from changed (BAD and stale tags, annunciated alarms per priority,
     * urgency, lineage): a cheap comparison per batch, the text only on a change.
     */
    private void updateHealth(AssetSlot as, long referenceMs, long t) {
        long bad = 0;
        long stale = 0;
        int i = 0;
        for (TagSlot ts : as.tags.values()) {
            long bit = 1L << (i++ & 63);
            if (ts.state.quality == 2) {
                bad |= bit;
            }
            if (Snapshots.stale(ts, referenceMs, startedMs)) {
                stale |= bit;
            }
        }
        long counts = 0;
        for (AlarmSlot a : as.alarms) {
            if (a.rec.active && a.rec.state.isAnnunciated()) {
                int p = a.rec.priority == 0 ? a.def.priority() : a.rec.priority;
                counts += 1L << (16 * (p - 1));
            }
        }
        TagSlot u = as.urgency;
        TagSlot l = as.lineage;
        String urgency = u == null ? "" : u.state.text;
        String lineage = l == null ? "" : l.state.text;
        boolean changed = !as.healthKnown || bad != as.healthBad || stale != as.healthStale || counts != as.healthCounts
                || !urgency.equals(as.healthUrgency) || !lineage.equals(as.healthLineage);
        if (changed) {
            as.healthKnown = true;
            as.healthBad = bad;
            as.healthStale = stale;
            as.healthCounts = counts;
            as.healthUrgency = urgency;
            as.healthLineage = lineage;
            String health = Snapshots.healthText(as, referenceMs, startedMs);
            if (!health.equals(as.twin.health)) {
                as.twin.health = health;
                out(as.asset.id(), "twin.health", Math.max(t, as.twin.updatedMs), health);
                dirtyTwins.add(as.asset.id());
            }
        }
        if (as.dirty) {
            reportedTwins.add(as.asset.id());
        }
        as.dirty = false;
    }

    /** twins whose state, health or maintenance changed: stored with the next commit */
    private final Set<String> dirtyTwins = new LinkedHashSet<>();
    /** twins whose reported values changed: stored at most every {@link #REPORTED_FLUSH_MS} (they heal with the next sample) */
    private final Set<String> reportedTwins = new LinkedHashSet<>();
    private long reportedFlushedMs;
    private final Set<String> dirtyAlarms = new LinkedHashSet<>();

    private void record(AlarmSlot a, AlarmLifecycle.Change c, long t) {
        if (c == null) {
            return;
        }
        AlarmRecord r = a.rec;
        if (c.transition() == AlarmTransition.ACTIVATED) {
            r.firstOut = quiet(List.of(a.asset), a);
            r.firstOutOfLine = quiet(lines.getOrDefault(a.asset.lineKey, List.of()), a);
            emit(a, c, t);
            if (r.noteActivation(t)) {
                emit(a, AlarmLifecycle.chattering(r, true, "activated " + AlarmRecord.CHATTER_COUNT + " times within "
                        + AlarmRecord.CHATTER_WINDOW_MS / 1000 + " s"), t);
            }
        } else {
            emit(a, c, t);
        }
    }

    private static boolean quiet(List<AssetSlot> group, AlarmSlot except) {
        for (AssetSlot as : group) {
            for (AlarmSlot other : as.alarms) {
                if (other != except && other.rec.active && other.rec.state.isAnnunciated()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void emit(AlarmSlot a, AlarmLifecycle.Change c, long t) {
        if (c == null) {
            return;
        }
        AlarmRecord r = a.rec;
        dirtyAlarms.add(a.id);
        AlarmEvent e = new AlarmEvent(++eventSequence, t, a.id, c.transition(), c.from(), c.to(), r.priority == 0 ? a.def.priority() : r.priority,
                r.active, r.value, c.cause(), c.actor(), c.comment(), a.asset.context, r.correlation);
        newEvents.add(e);
        if (c.transition() == AlarmTransition.ACTIVATED) {
            LOG.info("alarm {} activated, priority {}: {} (correlation {})", a.id, e.priority(), e.cause(), e.correlationId());
        }
        out(a.asset.asset.id(), "alarm." + a.def.name(), t, e.to() + " p" + e.priority() + " " + e.transition() + ": " + e.cause());
    }

    private void out(String asset, String tag, long timeMs, String text) {
        if (tag.length() <= 64) {
            newOut.add(Sample.of(new ChannelId(asset, tag), timeMs * 1000, Value.of(text), io.millwright.api.Quality.GOOD));
        }
    }

    // ---- what a commit takes ----

    /** @return per asset with a changed alarm record: all of that asset's alarm records (stored as one value per asset) */
    Map<String, Map<String, AlarmRecord>> takeDirtyAlarmGroups() {
        Map<String, Map<String, AlarmRecord>> out = new LinkedHashMap<>();
        for (String id : dirtyAlarms) {
            AlarmSlot a = alarms.get(id);
            if (a != null && !out.containsKey(a.asset.asset.id())) {
                Map<String, AlarmRecord> group = new LinkedHashMap<>();
                for (AlarmSlot x : a.asset.alarms) {
                    group.put(x.id, x.rec);
                }
                out.put(a.asset.asset.id(), group);
            }
        }
        dirtyAlarms.clear();
        return out;
    }

    /**
     * @param nowMs now; reported values are included when {@link #REPORTED_FLUSH_MS} passed since they last were
     *     ({@code Long.MAX_VALUE}: always)
     * @return the twin records to store
     */
    Map<String, TwinRecord> takeDirtyTwins(long nowMs) {
        if (nowMs - reportedFlushedMs >= REPORTED_FLUSH_MS) {
            reportedFlushedMs = nowMs == Long.MAX_VALUE ? reportedFlushedMs : nowMs;
            dirtyTwins.addAll(reportedTwins);
            reportedTwins.clear();
        }
        Map<String, TwinRecord> out = new LinkedHashMap<>();
        for (String id : dirtyTwins) {
            AssetSlot as = assets.get(id);
            if (as != null) {
                out.put(id, as.twin);
            }
        }
        dirtyTwins.clear();
        return out;
    }

    List<AlarmEvent> takeEvents() {
        List<AlarmEvent> out = List.copyOf(newEvents);
        newEvents.clear();
        return out;
    }

    List<Sample> takeOut() {
        List<Sample> out = List.copyOf(newOut);
        newOut.clear();
        return out;
    }

    // ---- views ----

    Map<String, AlarmSlot> alarmSlots() {
        return alarms;
    }

    Map<String, AssetSlot> assetSlots() {
        return assets;
    }

    long referenceMs(long nowMs, boolean caughtUp) {
        return caughtUp ? Math.max(nowMs, latestArrivalMs) : latestArrivalMs;
    }

    long startedMs() {
        return startedMs;
    }
}
