package io.millwright.notify.internal;

import io.millwright.uplink.api.Uplink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Publishes each notification on the uplink's {@code alarms/<asset>} topic (QoS 1): taken when the broker acknowledged it. */
final class MqttSink implements Sink {

    private final Supplier<Uplink> uplink;
    private final Duration timeout;

    MqttSink(Supplier<Uplink> uplink, Duration timeout) {
        this.uplink = uplink;
        this.timeout = timeout;
    }

    @Override
    public void deliver(String asset, byte[] payload) throws Exception {
        Uplink u = uplink.get();
        if (u == null) {
            throw new IllegalStateException("no MQTT uplink is configured");
        }
        try {
            u.publish("alarms/" + asset, payload, false).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    @Override
    public String describe() {
        return "mqtt alarms/<asset>";
    }
}
