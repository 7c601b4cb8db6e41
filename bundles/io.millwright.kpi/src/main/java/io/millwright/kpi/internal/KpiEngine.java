package io.millwright.kpi.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.kpi.api.CostModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an asset's samples into buckets: time in each operating state (from {@code <asset>/twin.state}), the counters'
 * increases, trips and repairs. Time between two samples of an asset is given to the state in force; a gap longer than
 * {@code maxGapMs} counts as no data. Counters that go down were reset: the new value is the increase. A trip that began
 * from a running or idle asset is a failure; its end is a repair with its duration. When an asset's time leaves a bucket,
 * the bucket's KPIs become samples ({@code kpi.availability}, {@code kpi.performance}, {@code kpi.quality},
 * {@code kpi.oee}, {@code kpi.energy_per_unit}, {@code kpi.downtime_cost}) at the bucket's end. Single-threaded: the
 * reader holds the lock.
 */
final class KpiEngine {

    /** What a channel means to the engine. */
    enum Role {
        STATE, COUNT, GOOD, REJECT, ENERGY, REASON, OTHER
    }

    /** A channel's asset and role. */
    record Binding(String asset, Role role, double scale, double offset) {
    }

    /** The configuration the engine runs on. */
    record Setup(Map<ChannelId, Binding> bindings, Map<String, KpiClass> classOfAsset, Map<String, CostModel> costs, Calendar calendar,
            long maxGapMs) {
    }

    private Setup setup;
    private final Map<String, AssetState> states;
    private final Map<String, Bucket> open = new HashMap<>();
    private final List<Sample> out = new ArrayList<>();
    private final BucketSource committed;

    /** Reads committed buckets (to continue one after a restart). */
    interface BucketSource {
        Bucket load(String asset, long startMs);
    }

    KpiEngine(Setup setup, Map<String, AssetState> states, BucketSource committed) {
        this.setup = setup;
        this.states = new HashMap<>(states);
        this.committed = committed;
    }

    void setup(Setup s) {
        this.setup = s;
    }

    Setup setup() {
        return setup;
    }

    void onSamples(List<Sample> samples) {
        for (Sample s : samples) {
            Binding b = setup.bindings().get(s.channel());
            if (b != null) {
                apply(b, s);
            }
        }
    }

    private void apply(Binding b, Sample s) {
        AssetState st = states.computeIfAbsent(b.asset(), a -> new AssetState());
        long t = s.sourceTimeMicros() / 1000;
        advance(b.asset(), st, t);
        Value v = s.value();
        switch (b.role()) {
            case STATE -> {
                if (v instanceof StringValue text) {
                    transition(b.asset(), st, text.value(), t);
                }
            }
            case REASON -> {
                String text = v instanceof StringValue sv ? sv.value() : "";
                if (!text.isBlank()) {
                    st.reasonText = text;
                }
            }
            case COUNT -> st.lastCount = counted(b, s, st.lastCount, t, (bk, d) -> bk.produced += d);
            case GOOD -> st.lastGood = counted(b, s, st.lastGood, t, (bk, d) -> {
                bk.good += d;
                bk.goodCounted = true;
            });
            case REJECT -> st.lastReject = counted(b, s, st.lastReject, t, (bk, d) -> {
                bk.rejected += d;
                bk.goodCounted = true;
            });
            case ENERGY -> st.lastEnergy = counted(b, s, st.lastEnergy, t, (bk, d) -> bk.energyKwh += d);
            default -> {
                // only advances the asset's time
            }
        }
    }

    private interface Add {
        void to(Bucket b, double delta);
    }

    private double counted(Binding b, Sample s, double last, long t, Add add) {
        if (!s.quality().isGood() || !isNumber(s.value())) {
            return last;
        }
        double v = s.value().asDouble() * b.scale() + b.offset();
        if (!Double.isFinite(v)) {
            return last;
        }
        if (!Double.isNaN(last)) {
            double d = v >= last ? v - last : v; // a counter that went down was reset: it counted v since
            if (d > 0) {
                add.to(bucket(b.asset(), t), d);
            }
        }
        return v;
    }

    private static boolean isNumber(Value v) {
        return v.type() == ValueType.DOUBLE || v.type() == ValueType.LONG;
    }

    /** The longest a state change may arrive after later samples and still be given back its time. */
    static final long LATE_STATE_MS = 10_000;

    private void transition(String asset, AssetState st, String next, long t) {
        String prev = st.state;
        if (next.equals(prev)) {
            return;
        }
        String prevReason = st.tripReason;
        if (next.equals("TRIPPED")) {
            if (prev.equals("RUNNING") || prev.equals("IDLE")) {
                bucket(asset, t).failures++;
                st.tripStartMs = t;
            } else {
                st.tripStartMs = prev.equals("UNKNOWN") ? -1 : t;
            }
            st.tripReason = st.reasonText.isBlank() ? "trip" : st.reasonText;
        } else if (prev.equals("TRIPPED") && !next.equals("UNKNOWN")) {
            if (st.tripStartMs > 0) {
                Bucket b = bucket(asset, t);
                b.repairs++;
                b.repairMs += t - st.tripStartMs;
            }
            st.tripStartMs = 0;
        }
        st.state = next;
        if (t < st.lastMs && st.lastMs - t <= LATE_STATE_MS) {
            // the twin journals a change after the raw samples of the same poll: the time since the change, already given
            // to the old state, goes to the new one
            Calendar cal = setup.calendar();
            for (long from = t; from < st.lastMs;) {
                long to = Math.min(st.lastMs, cal.bucketStart(from) + cal.bucketMs());
                Bucket b = bucket(asset, from);
                account(b, prev, prevReason, -(to - from));
                account(b, next, st.tripReason, to - from);
                from = to;
            }
        }
    }

    /** Gives the time since the asset's last sample to its state, bucket by bucket; writes finished buckets' KPIs. */
    private void advance(String asset, AssetState st, long t) {
        if (st.lastMs == 0) {
            st.lastMs = t;
            st.bucketStartMs = setup.calendar().bucketStart(t);
            return;
        }
        if (t <= st.lastMs) {
            return; // another channel's sample of an earlier time: the time is given already
        }
        boolean gap = t - st.lastMs > setup.maxGapMs();
        long from = st.lastMs;
        Calendar cal = setup.calendar();
        while (from < t) {
            long bStart = cal.bucketStart(from);
            long to = Math.min(t, bStart + cal.bucketMs());
            if (!gap) {
                account(bucket(asset, from), st, to - from);
            }
            from = to;
        }
        st.lastMs = t;
        long now = cal.bucketStart(t);
        if (now > st.bucketStartMs) {
            if (st.bucketStartMs >= 0) {
                finished(asset, st.bucketStartMs);
            }
            st.bucketStartMs = now;
        }
    }

    private static void account(Bucket b, AssetState st, long ms) {
        account(b, st.state, st.tripReason, ms);
    }

    /** Gives {@code ms} (negative: takes it back) to a state in a bucket. */
    private static void account(Bucket b, String state, String tripReason, long ms) {
        switch (state) {
            case "UNKNOWN" -> {
                // no data: neither planned busy time nor downtime
            }
            case "RUNNING" -> {
                b.observedMs += ms;
                b.runMs += ms;
            }
            case "MAINTENANCE" -> {
                b.observedMs += ms;
                b.maintenanceMs += ms;
            }
            case "TRIPPED" -> {
                b.observedMs += ms;
                b.downtimeByReason.merge(tripReason.isBlank() ? "trip" : tripReason, ms, Long::sum);
                b.downtimeByReason.values().removeIf(v -> v == 0);
            }
            default -> {
                b.observedMs += ms;
                b.downtimeByReason.merge(state.toLowerCase(java.util.Locale.ROOT), ms, Long::sum);
                b.downtimeByReason.values().removeIf(v -> v == 0);
            }
        }
    }

    Bucket bucket(String asset, long t) {
        long start = setup.calendar().bucketStart(t);
        String key = key(asset, start);
        Bucket b = open.get(key);
        if (b == null) {
            b = committed.load(asset, start);
            if (b == null) {
                b = new Bucket(asset, start);
            }
            open.put(key, b);
        }
        return b;
    }

    static String key(String asset, long startMs) {
        return asset + "|" + String.format("%015d", startMs);
    }

    /** A bucket the asset's time has left: its KPIs as samples at its end. */
    private void finished(String asset, long startMs) {
        Bucket b = open.get(key(asset, startMs));
        KpiClass k = setup.classOfAsset().get(asset);
        if (b == null || k == null || b.empty()) {
            return;
        }
        Sums sums = Sums.of(b, k, setup.costs().get(asset));
        long at = (startMs + setup.calendar().bucketMs()) * 1000;
        emit(asset, "kpi.availability", sums.availability(), at);
        emit(asset, "kpi.performance", sums.performance(), at);
        emit(asset, "kpi.quality", sums.quality(), at);
        emit(asset, "kpi.oee", sums.oee(), at);
        emit(asset, "kpi.energy_per_unit", sums.energyPerUnit(), at);
        emit(asset, "kpi.downtime_cost", sums.downtimeCost, at);
    }

    private void emit(String asset, String tag, double v, long atMicros) {
        if (Double.isFinite(v)) {
            out.add(Sample.of(new ChannelId(asset, tag), atMicros, Value.of(v), Quality.GOOD));
        }
    }

    /** @return the buckets changed since the last call (they stay in memory until the next commit takes them) */
    List<Bucket> takeDirty() {
        List<Bucket> dirty = new ArrayList<>(open.values());
        // keep each asset's current bucket open (it is still being filled); drop the others after this commit
        open.values().removeIf(b -> {
            AssetState st = states.get(b.asset);
            return st == null || b.startMs != st.bucketStartMs;
        });
        return dirty;
    }

    /** @return the derived samples made since the last call */
    List<Sample> takeOut() {
        List<Sample> o = new ArrayList<>(out);
        out.clear();
        return o;
    }

    Map<String, AssetState> states() {
        return states;
    }

    /** @return an open (not yet committed) bucket, or null */
    Bucket openBucket(String asset, long startMs) {
        return open.get(key(asset, startMs));
    }
}
