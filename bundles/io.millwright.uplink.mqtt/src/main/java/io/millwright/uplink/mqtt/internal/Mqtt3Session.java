package io.millwright.uplink.mqtt.internal;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT 3.1.1 through Paho's {@code mqttv3} client, with in-memory persistence (the journal is the store). */
final class Mqtt3Session implements MqttSession {

    private final MqttAsyncClient client;

    Mqtt3Session(String brokerUri, String clientId) throws MqttException {
        client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
    }

    private static IMqttActionListener listener(Result result) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                result.done(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                result.done(e == null ? new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION) : e);
            }
        };
    }

    @Override
    public void connect(ConnectSpec spec, Events events, Result result) throws MqttException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(spec.connectTimeoutSeconds());
        o.setKeepAliveInterval(spec.keepAliveSeconds());
        o.setMaxInflight(spec.maxInFlight());
        if (!spec.username().isBlank()) {
            o.setUserName(spec.username());
            o.setPassword(spec.password());
        }
        o.setWill(spec.willTopic(), spec.willPayload(), 1, true);
        if (spec.socketFactory() != null) {
            o.setSocketFactory(spec.socketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                events.connectionLost(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                events.message(topic, message.getPayload(), message.isRetained());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // acknowledgements arrive per publish
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
        client.subscribe(topic, 1);
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
