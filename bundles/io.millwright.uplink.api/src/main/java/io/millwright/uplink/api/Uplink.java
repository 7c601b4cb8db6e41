package io.millwright.uplink.api;

import org.osgi.annotation.versioning.ProviderType;

/** A running uplink, registered as an OSGi service by the uplink bundle. */
@ProviderType
public interface Uplink {

    /** @return the uplink's name, e.g. {@code mqtt} */
    String name();

    /** @return its state now */
    UplinkStatus status();

    /**
     * Publishes one message beside the journal's telemetry, for services that keep their own delivery state (alarm
     * notifications from their own durable position, retained twin documents). Never queued across a disconnect: the
     * caller retries.
     *
     * @param topicSuffix the topic below the uplink's prefix and gateway id, e.g. {@code alarms/pump-1}: segments of
     *     {@code [A-Za-z0-9_.-]} separated by {@code /}
     * @param payload the message
     * @param retained whether the broker keeps it for later subscribers
     * @return completes when the broker acknowledged it (QoS 1); exceptionally when the uplink is not connected, the
     *     topic is invalid or the publish failed
     * @since 1.2
     */
    default java.util.concurrent.CompletionStage<Void> publish(String topicSuffix, byte[] payload, boolean retained) {
        return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException("uplink " + name() + " publishes only telemetry"));
    }
}
