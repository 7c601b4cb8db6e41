package io.millwright.uplink.mqtt.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Clocks;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.api.Waveform;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.journal.api.Gap;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JSON payloads of contract version 1 (docs/mqtt.md). Every payload carries {@code "v":1},
 * its {@code "kind"} and the gateway id.
 */
public final class Payloads {

    static final int VERSION = 1;
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    private Payloads() {
    }

    private static byte[] write(String kind, String gateway, Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject().write("v", VERSION).write("kind", kind).write("gateway", gateway);
            body.accept(g);
            g.writeEnd();
        }
        return out.toByteArray();
    }

    /**
     * A telemetry batch: samples grouped by channel, each channel with its sequence and time range,
     * so the receiver can check continuity and drop duplicates by (epoch, channel, sequence).
     */
    public static byte[] telemetry(String gateway, SendWindow.Batch batch) {
        Map<ChannelId, List<Sample>> byChannel = new LinkedHashMap<>();
        for (Sample s : batch.samples()) {
            byChannel.computeIfAbsent(s.channel(), c -> new ArrayList<>()).add(s);
        }
        SendWindow.Part first = batch.parts().get(0);
        SendWindow.Part last = batch.parts().get(batch.parts().size() - 1);
        return write("telemetry", gateway, g -> {
            g.write("id", gateway + ":" + first.position() + "." + first.from() + "-" + last.position() + "." + (last.to() - 1));
            g.write("epoch", batch.epoch());
            g.writeStartObject("journal")
                    .writeStartObject("from").write("position", first.position()).write("index", first.from()).writeEnd()
                    .writeStartObject("to").write("position", last.position()).write("index", last.to() - 1).writeEnd()
                    .writeEnd();
            g.write("count", batch.samples().size());
            g.writeStartArray("channels");
            for (Map.Entry<ChannelId, List<Sample>> e : byChannel.entrySet()) {
                List<Sample> samples = e.getValue();
                Sample a = samples.get(0);
                Sample z = samples.get(samples.size() - 1);
                g.writeStartObject().write("channel", e.getKey().toString())
                        .write("firstSequence", a.sequence()).write("lastSequence", z.sequence()).write("count", samples.size())
                        .write("firstTime", Clocks.toInstant(a.sourceTimeMicros()).toString())
                        .write("lastTime", Clocks.toInstant(z.sourceTimeMicros()).toString());
                g.writeStartArray("samples");
                for (Sample s : samples) {
                    g.writeStartArray().write(s.sequence()).write(s.sourceTimeMicros());
                    value(g, s);
                    if (!s.quality().isGood()) {
                        g.write(s.quality().level().name()).write(s.quality().reason());
                    }
                    g.writeEnd();
                }
                g.writeEnd().writeEnd();
            }
            g.writeEnd();
        });
    }

    private static void value(JsonGenerator g, Sample s) {
        switch (s.value().type()) {
            case DOUBLE -> {
                double d = s.value().asDouble();
                if (Double.isFinite(d)) {
                    g.write(d);
                } else {
                    g.writeNull();
                }
            }
            case LONG -> g.write((long) s.value().asDouble());
            case BOOLEAN -> g.write(s.value().asDouble() != 0);
            case STRING -> g.write(((StringValue) s.value()).value());
            case WAVEFORM -> {
                Waveform w = (Waveform) s.value();
                g.writeStartObject().write("rateHz", w.sampleRateHz()).writeStartArray("points");
                for (int i = 0; i < w.length(); i++) {
                    double p = w.point(i);
                    if (Double.isFinite(p)) {
                        g.write(p);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEnd().writeEnd();
            }
            default -> g.writeNull();
        }
    }

    static byte[] gatewayStatus(String gateway, String state, String reason, Instant since) {
        return write("gateway-status", gateway, g -> g.write("state", state).write("reason", reason).write("since", since.toString()));
    }

    static byte[] deviceStatus(String gateway, String device, String driver, DeviceStatus s) {
        return write("device-status", gateway, g -> g.write("device", device).write("driver", driver).write("state", s.state().name())
                .write("detail", s.detail()).write("message", s.message()).write("since", s.since().toString()));
    }

    static byte[] gap(String gateway, Gap gap) {
        return write("gap", gateway, g -> g.write("id", gateway + ":" + gap.channel() + ":" + gap.fromSequence() + "-" + gap.toSequence())
                .write("channel", gap.channel().toString()).write("fromSequence", gap.fromSequence())
                .write("toSequence", gap.toSequence()).write("count", gap.count()).write("reason", gap.reason())
                .write("at", gap.at().toString()));
    }

    static byte[] response(String gateway, String id, boolean ok, String error, Consumer<JsonGenerator> result) {
        return write("response", gateway, g -> {
            if (id == null) {
                g.writeNull("id");
            } else {
                g.write("id", id);
            }
            g.write("ok", ok);
            if (!ok) {
                g.write("error", error);
            } else if (result != null) {
                g.writeStartObject("result");
                result.accept(g);
                g.writeEnd();
            }
        });
    }

    /** @return the error text of a response written by {@link #response}, empty when it has none */
    static String errorOf(byte[] response) {
        if (response == null) {
            return "";
        }
        try (jakarta.json.JsonReader r = jakarta.json.Json.createReader(new java.io.ByteArrayInputStream(response))) {
            jakarta.json.JsonObject o = r.readObject();
            return o.containsKey("error") && o.get("error").getValueType() == jakarta.json.JsonValue.ValueType.STRING ? o.getString("error") : "";
        }
    }
}
