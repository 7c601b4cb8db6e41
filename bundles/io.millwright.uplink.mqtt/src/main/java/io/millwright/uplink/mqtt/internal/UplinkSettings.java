package io.millwright.uplink.mqtt.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validated uplink settings; every check names the PID, the attribute and the value.
 *
 * @param brokerUri broker
 * @param protocolVersion 3 for MQTT 3.1.1, 5 for MQTT 5.0
 * @param clientId MQTT client id
 * @param gatewayId topic segment
 * @param topicPrefix topic prefix
 * @param username user name or empty
 * @param password password
 * @param maxBatchSamples samples per message
 * @param maxMessageBytes estimated bytes per message
 * @param order which samples go first when there is a backlog
 * @param linger publish cycle
 * @param maxInFlight unacknowledged messages
 * @param maxBytesPerSecond bandwidth cap, 0 off
 * @param connectTimeout connect timeout
 * @param keepAlive keep-alive
 * @param reconnectMin first reconnect delay
 * @param reconnectMax longest reconnect delay
 * @param trustStore trust store path or empty
 * @param trustStorePassword its password
 * @param keyStore key store path or empty
 * @param keyStorePassword its password
 */
public record UplinkSettings(String brokerUri, int protocolVersion, String clientId, String gatewayId, String topicPrefix, String username, char[] password,
        int maxBatchSamples, long maxMessageBytes, SendWindow.Order order, Duration linger, int maxInFlight, long maxBytesPerSecond, Duration connectTimeout,
        Duration keepAlive, Duration reconnectMin, Duration reconnectMax, String trustStore, char[] trustStorePassword,
        String keyStore, char[] keyStorePassword) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    static UplinkSettings from(MqttUplinkComponent.Config c) {
        String uri = c.brokerUri() == null ? "" : c.brokerUri().trim();
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw invalid("brokerUri", uri, "not a URI: " + e.getMessage());
        }
        if (!List.of("tcp", "ssl").contains(String.valueOf(parsed.getScheme())) || parsed.getHost() == null) {
            throw invalid("brokerUri", uri, "expected tcp://host:port or ssl://host:port");
        }
        int protocol = switch (c.protocol().trim()) {
            case "3.1.1", "3" -> 3;
            case "5", "5.0" -> 5;
            default -> throw invalid("protocol", c.protocol(), "3.1.1 or 5");
        };
        SendWindow.Order order = switch (c.order().trim()) {
            case "oldest-first" -> SendWindow.Order.OLDEST_FIRST;
            case "live-first" -> SendWindow.Order.LIVE_FIRST;
            default -> throw invalid("order", c.order(), "oldest-first or live-first");
        };
        if (!ID.matcher(c.gatewayId()).matches()) {
            throw invalid("gatewayId", c.gatewayId(), "1-64 characters of [A-Za-z0-9_.-]");
        }
        if (c.topicPrefix().isBlank() || c.topicPrefix().contains("+") || c.topicPrefix().contains("#") || c.topicPrefix().endsWith("/")) {
            throw invalid("topicPrefix", c.topicPrefix(), "a topic without wildcards or trailing /");
        }
        range("maxBatchSamples", c.maxBatchSamples(), 1, 100_000);
        range("maxMessageBytes", c.maxMessageBytes(), 1024, 256L * 1024 * 1024);
        range("lingerMs", c.lingerMs(), 1, 60_000);
        range("maxInFlight", c.maxInFlight(), 1, 1_000);
        range("maxBytesPerSecond", c.maxBytesPerSecond(), 0, Long.MAX_VALUE);
        range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 300);
        range("keepAliveSeconds", c.keepAliveSeconds(), 1, 3_600);
        range("reconnectMinMs", c.reconnectMinMs(), 10, 600_000);
        range("reconnectMaxMs", c.reconnectMaxMs(), c.reconnectMinMs(), 3_600_000);
        String clientId = c.clientId().isBlank() ? "millwright-" + c.gatewayId() : c.clientId();
        if (clientId.length() > 65_535) {
            throw invalid("clientId", clientId, "too long");
        }
        return new UplinkSettings(uri, protocol, clientId, c.gatewayId(), c.topicPrefix(), c.username(), c._password().toCharArray(),
                c.maxBatchSamples(), c.maxMessageBytes(), order, Duration.ofMillis(c.lingerMs()), c.maxInFlight(), c.maxBytesPerSecond(),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.keepAliveSeconds()),
                Duration.ofMillis(c.reconnectMinMs()), Duration.ofMillis(c.reconnectMaxMs()), c.trustStore(),
                c._trustStorePassword().toCharArray(), c.keyStore(), c._keyStorePassword().toCharArray());
    }

    private static void range(String attribute, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(attribute, value, "must be " + min + ".." + max);
        }
    }

    private static IllegalArgumentException invalid(String attribute, Object value, String expected) {
        return new IllegalArgumentException("configuration " + MqttUplinkComponent.PID + ": " + attribute + "=" + value + ": " + expected);
    }

    String topic(String suffix) {
        return topicPrefix + "/" + gatewayId + "/" + suffix;
    }

    boolean tls() {
        return brokerUri.startsWith("ssl:");
    }
}
