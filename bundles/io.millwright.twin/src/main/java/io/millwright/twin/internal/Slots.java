package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmContext;
import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetTag;

/** The engine's compiled view of the asset model: one slot per asset, tag and alarm, linked for the sample path. */
final class Slots {

    private Slots() {
    }

    static final AlarmSlot[] NO_ALARMS = new AlarmSlot[0];

    /** One asset. */
    static final class AssetSlot {
        final Asset asset;
        final AssetClass cls;
        final TwinRecord twin;
        final AlarmContext context;
        final String lineKey;
        AlarmSlot[] alarms = NO_ALARMS;
        final java.util.Map<String, TagSlot> tags = new java.util.LinkedHashMap<>();
        io.millwright.asset.api.OperatingState previousState = io.millwright.asset.api.OperatingState.UNKNOWN;
        TagSlot running;
        TagSlot trip;
        TagSlot load;
        TagSlot urgency;
        TagSlot lineage;
        /** reported values changed since the last health check */
        boolean dirty;
        // what the journaled health was computed from: a new text only when one of these changes
        boolean healthKnown;
        long healthBad;
        long healthStale;
        long healthCounts;
        String healthUrgency = "";
        String healthLineage = "";

        AssetSlot(Asset asset, AssetClass cls, TwinRecord twin) {
            this.asset = asset;
            this.cls = cls;
            this.twin = twin;
            this.context = new AlarmContext(asset.site(), asset.area(), asset.line(), asset.assetClass(), asset.criticality().name());
            this.lineKey = asset.site() + "/" + asset.area() + "/" + asset.line();
        }
    }

    /** One tag of one asset, reached from its source channel. */
    static final class TagSlot {
        final AssetSlot owner;
        final AssetTag tag;
        final TwinRecord.TagState state;
        final boolean numeric;
        AlarmSlot[] alarms = NO_ALARMS;
        boolean rule;

        TagSlot(AssetSlot owner, AssetTag tag, TwinRecord.TagState state, boolean numeric) {
            this.owner = owner;
            this.tag = tag;
            this.state = state;
            this.numeric = numeric;
        }
    }

    /** One alarm of one asset. */
    static final class AlarmSlot {
        final String id;
        final AlarmDefinition def;
        final AlarmRecord rec;
        final AssetSlot asset;
        final TagSlot tag;
        final TagSlot setpoint;
        final Alarm.Runbook runbook;
        boolean dirty;

        AlarmSlot(String id, AlarmDefinition def, AlarmRecord rec, AssetSlot asset, TagSlot tag, TagSlot setpoint, Alarm.Runbook runbook) {
            this.id = id;
            this.def = def;
            this.rec = rec;
            this.asset = asset;
            this.tag = tag;
            this.setpoint = setpoint;
            this.runbook = runbook;
        }
    }
}
