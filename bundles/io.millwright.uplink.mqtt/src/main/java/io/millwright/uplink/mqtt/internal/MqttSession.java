package io.millwright.uplink.mqtt.internal;

import javax.net.SocketFactory;

/**
 * One MQTT client connection, whatever the protocol version: the uplink's lane drives it, callbacks
 * arrive on the client library's threads. Implementations: {@link Mqtt3Session} (3.1.1) and
 * {@link Mqtt5Session} (5.0), both Eclipse Paho.
 */
interface MqttSession {

    /** What happens to the connection. */
    interface Events {
        void connectionLost(Throwable cause);

        /**
         * @param topic where it arrived
         * @param payload its bytes
         * @param retained whether the broker kept it (commands are never taken from retained messages)
         */
        void message(String topic, byte[] payload, boolean retained);
    }

    /** Completion of an asynchronous call: {@code failure} is null on success (for QoS 1: on PUBACK). */
    interface Result {
        void done(Throwable failure);
    }

    /**
     * What to connect with.
     *
     * @param username user name, empty for none
     * @param password password
     * @param willTopic last-will topic
     * @param willPayload last-will payload (QoS 1, retained)
     * @param keepAliveSeconds keep-alive
     * @param connectTimeoutSeconds connect timeout
     * @param maxInFlight unacknowledged publishes the client may have
     * @param socketFactory TLS socket factory, null for plain TCP
     * @param maxIncomingBytes the largest packet the broker may send us (MQTT 5's Maximum Packet Size: larger commands
     *        are dropped by the broker; MQTT 3.1.1 has no such setting, the command handler caps them)
     */
    record ConnectSpec(String username, char[] password, String willTopic, byte[] willPayload, int keepAliveSeconds,
            int connectTimeoutSeconds, int maxInFlight, SocketFactory socketFactory, long maxIncomingBytes) {
    }

    void connect(ConnectSpec spec, Events events, Result result) throws Exception;

    void publish(String topic, byte[] payload, boolean retained, Result result) throws Exception;

    void subscribe(String topic) throws Exception;

    /** Sends a clean DISCONNECT and waits at most the timeout. */
    void disconnect(long timeoutMillis) throws Exception;

    /** Drops the connection without ceremony and frees the client; never throws. */
    void close();

    /** Publishes and waits for the acknowledgement at most the timeout. */
    default void publishAndWait(String topic, byte[] payload, boolean retained, long timeoutMillis) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        publish(topic, payload, retained, f -> {
            if (f == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(f);
            }
        });
        done.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
