package io.millwright.uplink.mqtt.internal;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * MQTT 5.0 through Paho's {@code mqttv5} client (embedded privately in this bundle: its own bundle
 * exports only the client package). Clean start, no session expiry: the journal is the store.
 * The broker's Receive Maximum bounds the messages in flight.
 */
final class Mqtt5Session implements MqttSession {

    private final MqttAsyncClient client;

    Mqtt5Session(String brokerUri, String clientId) throws MqttException {
        client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
    }

    private static MqttActionListener listener(Result result) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                int[] codes = token.getReasonCodes();
                if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                    result.done(new MqttException(codes[0]));
                } else {
                    result.done(null);
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                result.done(e == null ? new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION) : e);
            }
        };
    }

    @Override
    public void connect(ConnectSpec spec, Events events, Result result) throws MqttException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(spec.connectTimeoutSeconds());
        o.setKeepAliveInterval(spec.keepAliveSeconds());
        o.setMaximumPacketSize(spec.maxIncomingBytes());
        if (!spec.username().isBlank()) {
            o.setUserName(spec.username());
            o.setPassword(new String(spec.password()).getBytes(StandardCharsets.UTF_8));
        }
        MqttMessage will = new MqttMessage(spec.willPayload(), 1, true, null);
        o.setWill(spec.willTopic(), will);
        if (spec.socketFactory() != null) {
            o.setSocketFactory(spec.socketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                events.connectionLost(response.getException() != null ? response.getException()
                        : new MqttException(response.getReturnCode()));
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                events.connectionLost(e);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                events.message(topic, message.getPayload(), message.isRetained());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // acknowledgements arrive per publish
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                // reported through the connect listener
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // no enhanced authentication
            }
        });
        client.connect(o, null, listener(result));
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained, Result result) throws MqttException {
        client.publish(topic, payload, 1, retained, null, listener(result));
    }

    @Override
    public void subscribe(String topic) throws MqttException {
        // Retain As Published: the broker keeps a command's retained flag even on a live subscription, so the command
        // handler can ignore retained commands (over 3.1.1 the flag is set only for what a new subscription receives)
        org.eclipse.paho.mqttv5.common.MqttSubscription subscription = new org.eclipse.paho.mqttv5.common.MqttSubscription(topic, 1);
        subscription.setRetainAsPublished(true);
        client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {subscription});
    }

    @Override
    public void disconnect(long timeoutMillis) throws MqttException {
        client.disconnect(timeoutMillis).waitForCompletion(timeoutMillis + 1000);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException | RuntimeException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // nothing more to free
        }
    }
}
