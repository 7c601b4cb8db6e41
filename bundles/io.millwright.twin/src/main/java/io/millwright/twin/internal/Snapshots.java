package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Twin;
import io.millwright.asset.api.TwinRules;
import io.millwright.twin.internal.Slots.AlarmSlot;
import io.millwright.twin.internal.Slots.AssetSlot;
import io.millwright.twin.internal.Slots.TagSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Immutable API views of the engine's slots (taken under the engine's lock) and the health text that is journaled. */
final class Snapshots {

    /** A tag is stale after this many expected intervals without a sample. */
    static final int STALE_INTERVALS = 3;
    private static final String[] QUALITY = {"GOOD", "UNCERTAIN", "BAD"};

    private Snapshots() {
    }

    static Alarm alarm(AlarmSlot a) {
        AlarmRecord r = a.rec;
        return new Alarm(a.id, a.asset.asset.id(), a.def.name(), a.def, a.asset.context, r.state, r.active, r.acknowledged,
                r.priority == 0 ? a.def.priority() : r.priority, r.stateSinceMs, r.activeSinceMs, r.value, r.message, r.shelf, r.outOfService,
                r.firstOut, r.firstOutOfLine, r.chattering, a.runbook);
    }

    static Twin twin(AssetSlot as, long referenceMs, long startedMs) {
        List<Twin.Reported> reported = new ArrayList<>();
        List<Twin.Desired> desired = new ArrayList<>();
        for (TagSlot ts : as.tags.values()) {
            TwinRecord.TagState st = ts.state;
            AssetTag tag = ts.tag;
            reported.add(new Twin.Reported(tag.name(), st.number, st.text, tag.unit(), QUALITY[st.quality], st.reason, st.timeMs,
                    stale(ts, referenceMs, startedMs)));
            if (tag.writable() && st.timeMs > 0) {
                desired.add(new Twin.Desired(tag.name(), st.number, tag.unit(), "confirmed", st.timeMs, ""));
            }
        }
        return new Twin(as.asset.id(), reported, desired, as.twin.state, as.twin.stateSinceMs, health(as, referenceMs, startedMs),
                as.twin.maintenance, as.twin.lastMaintenance, as.twin.updatedMs);
    }

    /**
     * Merges what the write guard asked with what the device reports: a request awaiting approval or the read-back is
     * shown as asked; a confirmed one shows who set the value while the device still reports it.
     */
    static Twin withDesires(Twin t, Map<String, Twin.Desired> asked) {
        Map<String, Twin.Desired> byTag = new java.util.LinkedHashMap<>();
        t.desired().forEach(d -> byTag.put(d.tag(), d));
        for (Twin.Desired d : asked.values()) {
            Twin.Desired reported = byTag.get(d.tag());
            if ("pending".equals(d.status()) || "awaiting-approval".equals(d.status())) {
                byTag.put(d.tag(), d);
            } else if ("confirmed".equals(d.status()) && reported != null
                    && Math.abs(reported.value() - d.value()) <= 1e-6 * Math.max(1, Math.abs(d.value()))) {
                byTag.put(d.tag(), new Twin.Desired(d.tag(), reported.value(), reported.unit(), "confirmed", d.timeMs(), d.by()));
            }
        }
        return new Twin(t.asset(), t.reported(), List.copyOf(byTag.values()), t.operatingState(), t.operatingSinceMs(), t.health(),
                t.maintenance(), t.lastMaintenance(), t.updatedMs());
    }

    static Twin.Health health(AssetSlot as, long referenceMs, long startedMs) {
        List<String> stale = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int good = 0;
        int counted = 0;
        for (TagSlot ts : as.tags.values()) {
            boolean isStale = stale(ts, referenceMs, startedMs);
            if (ts.state.timeMs == 0 && !isStale) {
                continue; // not seen yet, and not yet missed
            }
            counted++;
            if (isStale) {
                stale.add(ts.tag.name());
            }
            if (ts.state.quality == 2) {
                bad.add(ts.tag.name());
            }
            if (!isStale && ts.state.quality == 0) {
                good++;
            }
        }
        Map<Integer, Integer> active = new TreeMap<>(Map.of(1, 0, 2, 0, 3, 0, 4, 0));
        for (AlarmSlot a : as.alarms) {
            if (a.rec.active && a.rec.state.isAnnunciated()) {
                active.merge(a.rec.priority == 0 ? a.def.priority() : a.rec.priority, 1, Integer::sum);
            }
        }
        TwinRules rules = as.cls.rules();
        TagSlot rul = as.tags.get(rules.rulTag());
        TagSlot urgency = as.tags.get(rules.urgencyTag());
        TagSlot lineage = as.tags.get(rules.lineageTag());
        return new Twin.Health(counted == 0 ? Double.NaN : (double) good / counted, stale, bad, active,
                rul == null ? Double.NaN : rul.state.number, rul == null ? "" : rul.tag.unit(), urgency == null ? "" : urgency.state.text,
                lineage == null ? "" : model(lineage.state.text));
    }

    /** @return the health as the journaled text: what changes it is a change of health (not every new RUL figure) */
    static String healthText(AssetSlot as, long referenceMs, long startedMs) {
        Twin.Health h = health(as, referenceMs, startedMs);
        StringBuilder b = new StringBuilder();
        b.append("urgency=").append(h.urgency().isEmpty() ? "-" : h.urgency());
        b.append(" model=").append(h.model().isEmpty() ? "-" : h.model());
        b.append(" alarms=");
        h.activeAlarms().forEach((p, n) -> b.append('p').append(p).append(':').append(n).append(','));
        b.setLength(b.length() - 1);
        b.append(" stale=").append(h.staleTags().isEmpty() ? "-" : String.join(",", h.staleTags()));
        b.append(" bad=").append(h.badTags().isEmpty() ? "-" : String.join(",", h.badTags()));
        return b.toString();
    }

    /** @return {@code id@version} from a lineage text {@code model=… version=… …} */
    static String model(String lineage) {
        String model = field(lineage, "model=");
        String version = field(lineage, "version=");
        return model.isEmpty() ? "" : version.isEmpty() ? model : model + "@" + version;
    }

    private static String field(String text, String key) {
        int i = text.startsWith(key) ? 0 : text.indexOf(" " + key);
        if (i < 0) {
            return "";
        }
        int start = i == 0 ? key.length() : i + 1 + key.length();
        int end = text.indexOf(' ', start);
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }

    static boolean stale(TagSlot ts, long referenceMs, long startedMs) {
        long interval = ts.tag.expectedIntervalMs();
        if (interval <= 0 || referenceMs <= 0) {
            return false;
        }
        long since = Math.max(ts.state.arrivalMs, startedMs);
        return referenceMs - since > STALE_INTERVALS * interval;
    }
}
