package io.millwright.web.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Clocks;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Waveform;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceCounters;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.journal.api.CursorStatistics;
import io.millwright.journal.api.Gap;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.uplink.api.Uplink;
import io.millwright.uplink.api.UplinkStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the gateway's state as the JSON document of {@code /millwright/api/status}. */
final class StatusReport {
    private StatusReport() {
    }

    /**
     * @return why the channel's latest value is no longer current (its device is not delivering), or null
     */
    static String stale(ChannelId channel, Device device, java.util.Set<ChannelId> deviceChannels) {
        if (device == null) {
            return deviceChannels.contains(channel) ? "no device serves " + channel + " any more: the value is the last one received" : null;
        }
        DeviceStatus s = device.status();
        return switch (s.state()) {
            case ONLINE, DEGRADED -> null;
            default -> "device " + device.id() + " is " + s.state() + " since " + s.since() + (s.message().isEmpty() ? "" : " (" + s.message() + ")")
                    + ": the value is the last one received";
        };
    }

    /**
     * @param deviceChannels every channel a device has declared since the live view started (grows as devices come):
     *     such a channel that no device declares now is stale, its device gone
     */
    static String render(Instant now, Instant started, List<Device> devices, Map<ChannelId, Sample> latest,
            JournalStatistics journal, IngestStatistics ingest, List<Uplink> uplinks, java.util.Set<ChannelId> deviceChannels) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("gateway").beginObject()
                .field("now", now.toString())
                .field("startedAt", started.toString())
                .field("uptimeSeconds", Duration.between(started, now).toSeconds())
                .field("heapUsedBytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                .field("heapMaxBytes", Runtime.getRuntime().maxMemory())
                .endObject();

        Map<ChannelId, ChannelDescriptor> declared = new HashMap<>();
        Map<ChannelId, Device> declaredBy = new HashMap<>();
        w.name("devices").beginArray();
        List<Device> sorted = new ArrayList<>(devices);
        sorted.sort(Comparator.comparing(Device::id));
        for (Device d : sorted) {
            DeviceStatus s = d.status();
            DeviceCounters c = d.counters();
            d.channels().forEach(ch -> {
                declared.put(ch.id(), ch);
                declaredBy.put(ch.id(), d);
                deviceChannels.add(ch.id());
            });
            w.beginObject().field("id", d.id()).field("driver", d.driver()).field("state", s.state().name())
                    .field("detail", s.detail()).field("message", s.message()).field("since", s.since().toString())
                    .field("channels", d.channels().size())
                    .name("counters").beginObject().field("polls", c.polls()).field("samples", c.samples())
                    .field("overruns", c.overruns()).field("errors", c.errors()).endObject()
                    .endObject();
        }
        w.endArray();

        Map<String, List<Map.Entry<ChannelId, Sample>>> byAsset = new LinkedHashMap<>();
        for (Map.Entry<ChannelId, Sample> e : latest.entrySet()) {
            byAsset.computeIfAbsent(e.getKey().asset(), a -> new ArrayList<>()).add(e);
        }
        w.name("assets").beginArray();
        for (Map.Entry<String, List<Map.Entry<ChannelId, Sample>>> asset : byAsset.entrySet()) {
            w.beginObject().field("name", asset.getKey()).name("channels").beginArray();
            for (Map.Entry<ChannelId, Sample> e : asset.getValue()) {
                Sample s = e.getValue();
                ChannelDescriptor d = declared.get(e.getKey());
                w.beginObject().field("tag", e.getKey().tag()).field("type", s.value().type().name())
                        .field("unit", d == null ? "" : d.unit()).field("writable", d != null && d.writable());
                switch (s.value().type()) {
                    case STRING -> w.field("value", ((StringValue) s.value()).value());
                    case BOOLEAN -> w.field("value", s.value().asDouble() != 0);
                    case WAVEFORM -> {
                        Waveform wf = (Waveform) s.value();
                        w.field("value", wf.asDouble()).field("points", wf.length()).field("rateHz", wf.sampleRateHz());
                    }
                    default -> w.field("value", s.value().asDouble());
                }
                String stale = stale(e.getKey(), declaredBy.get(e.getKey()), deviceChannels);
                if (stale != null) {
                    w.field("stale", true).field("staleReason", stale);
                }
                w.field("quality", s.quality().level().name()).field("reason", s.quality().reason())
                        .field("sequence", s.sequence())
                        .field("sourceTime", Clocks.toInstant(s.sourceTimeMicros()).toString())
                        .field("ingestTime", Clocks.toInstant(s.ingestTimeMicros()).toString())
                        .endObject();
            }
            w.endArray().endObject();
        }
        w.endArray();

        w.name("journal").beginObject()
                .field("directory", journal.directory())
                .field("state", journal.state().name())
                .field("usableBytes", journal.usableBytes())
                .field("reserveBytes", journal.reserveBytes())
                .field("epoch", journal.epoch())
                .field("fileBytes", journal.fileBytes())
                .field("payloadBytes", journal.payloadBytes())
                .field("budgetBytes", journal.budgetBytes())
                .field("retainedEntries", journal.retainedEntries())
                .field("retainedSamples", journal.retainedSamples())
                .field("committedSamples", journal.committedSamples())
                .field("pendingSamples", journal.pendingSamples())
                .field("commitRateSamplesPerSecond", journal.commitRateSamplesPerSecond())
                .field("commits", journal.commits())
                .field("lastCommitMillis", journal.lastCommitMillis())
                .field("droppedSamples", journal.droppedSamples())
                .field("refusedBatches", journal.refusedBatches())
                .field("recovery", journal.recovery());
        w.name("cursors").beginArray();
        for (CursorStatistics c : journal.cursors()) {
            w.beginObject().field("name", c.name()).field("position", c.position()).field("lagEntries", c.lagEntries())
                    .field("lagSamples", c.lagSamples()).endObject();
        }
        w.endArray();
        w.name("gaps").beginArray();
        List<Gap> gaps = journal.gaps();
        for (Gap g : gaps.subList(Math.max(0, gaps.size() - 50), gaps.size())) {
            w.beginObject().field("channel", g.channel().toString()).field("fromSequence", g.fromSequence())
                    .field("toSequence", g.toSequence()).field("count", g.count()).field("reason", g.reason())
                    .field("at", g.at().toString()).endObject();
        }
        w.endArray().endObject();

        if (ingest != null) {
            IngestStatistics.Counts t = ingest.total();
            w.name("ingest").beginObject().field("accepted", t.accepted()).field("rejected", t.rejected())
                    .field("bad", t.bad()).field("uncertain", t.uncertain()).field("overruns", t.overruns())
                    .field("overrunSamples", t.overrunSamples()).field("lastRejection", t.lastRejection()).endObject();
        }
        w.name("uplinks").beginArray();
        for (Uplink u : uplinks) {
            UplinkStatus s;
            try {
                s = u.status();
            } catch (RuntimeException e) {
                continue; // an uplink stopping while we ask
            }
            w.beginObject().field("name", s.name()).field("endpoint", s.endpoint()).field("connected", s.connected())
                    .field("lastError", s.lastError()).field("backlogSamples", s.backlogSamples()).field("backlogBytes", s.backlogBytes())
                    .field("oldestUnsentAgeMillis", s.oldestUnsentAgeMillis())
                    .field("publishRateSamplesPerSecond", s.publishRateSamplesPerSecond())
                    .field("messagesAcknowledged", s.messagesAcknowledged()).field("messagesInFlight", s.messagesInFlight())
                    .field("reconnects", s.reconnects()).field("gapReports", s.gapReports())
                    .field("commands", s.commands()).field("commandsRefused", s.commandsRefused()).endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }
}
