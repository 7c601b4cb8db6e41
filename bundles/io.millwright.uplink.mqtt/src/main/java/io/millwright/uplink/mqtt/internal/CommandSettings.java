package io.millwright.uplink.mqtt.internal;

import io.millwright.identity.api.Role;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How commands are accepted. A command carries its sender's identity — an API token of the gateway
 * ({@code "token"}) or an HMAC-SHA256 under the gateway's command key ({@code "hmac"}) — and is refused when older
 * than {@code maxAge} (or that far in the future), seen before, retained, or larger than {@code maxBytes}. Commands
 * are off unless the broker connection is TLS, and an HMAC key needs 32 bytes; {@code allowInsecure} lifts both
 * (logged loudly). {@code set-config} may change only the listed {@code pid/attribute} pairs, never a denied PID
 * ({@link #DENIED_PIDS}), a private (dotted) key or a path.
 *
 * @param disabledReason why commands are off, null when they are on
 * @param hmacKey the command key, empty for none (then only tokens are accepted)
 * @param hmacRole what an HMAC-signed command may do
 * @param maxAge how far a command's timestamp may be from now
 * @param maxBytes the largest command payload read
 * @param allowInsecure the insecure flag
 * @param configAttributes PID → attributes {@code set-config} may change ({@code get-config} reads those PIDs)
 */
record CommandSettings(String disabledReason, byte[] hmacKey, Role hmacRole, Duration maxAge, int maxBytes,
        boolean allowInsecure, Map<String, Set<String>> configAttributes) {

    /** PIDs no command may read or change, whatever the allow-list says (prefixes). */
    static final List<String> DENIED_PIDS = List.of("io.millwright.uplink", "io.millwright.http", "io.millwright.identity",
            "io.millwright.audit", "io.millwright.scoring", "org.apache.felix.webconsole", "org.apache.felix.fileinstall",
            "org.apache.felix.http", "org.apache.felix.configurator");
    /** attribute names that are or hold file system paths */
    private static final java.util.regex.Pattern PATH_ATTRIBUTE = java.util.regex.Pattern.compile(
            "(?i).*(dir|directory|folder|path|file|store|keystore|truststore)$");

    static CommandSettings from(MqttUplinkComponent.Config c, boolean tls) {
        range("commandMaxAgeSeconds", c.commandMaxAgeSeconds(), 5, 86_400);
        range("commandMaxBytes", c.commandMaxBytes(), 256, 1024 * 1024);
        Role role;
        try {
            role = Role.parse(c.commandHmacRole());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + MqttUplinkComponent.PID + ": commandHmacRole=" + c.commandHmacRole()
                    + ": " + e.getMessage());
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (String entry : c.commandConfigAttributes()) {
            int slash = entry.lastIndexOf('/');
            if (slash <= 0 || slash == entry.length() - 1) {
                throw new IllegalArgumentException("configuration " + MqttUplinkComponent.PID + ": commandConfigAttributes entry '" + entry
                        + "': expected pid/attribute");
            }
            String pid = entry.substring(0, slash).strip();
            String attribute = entry.substring(slash + 1).strip();
            String why = forbidden(pid, attribute);
            if (why != null) {
                throw new IllegalArgumentException("configuration " + MqttUplinkComponent.PID + ": commandConfigAttributes entry '" + entry
                        + "': " + why);
            }
            allowed.computeIfAbsent(pid, p -> new LinkedHashSet<>()).add(attribute);
        }
        byte[] key = new byte[0];
        String disabled = null;
        String hex = c._commandHmacKey().strip();
        if (!hex.isEmpty()) {
            try {
                key = HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                disabled = ".commandHmacKey is not hexadecimal";
            }
            if (disabled == null && key.length < 32 && !c.allowInsecureCommands()) {
                disabled = ".commandHmacKey has " + key.length + " bytes; at least 32 random bytes (64 hex digits) are needed";
            }
        }
        if (disabled == null && !tls && !c.allowInsecureCommands()) {
            disabled = "the broker connection is not TLS (" + c.brokerUri() + "): commands need ssl:// or allowInsecureCommands=true";
        }
        return new CommandSettings(disabled, key, role, java.time.Duration.ofSeconds(c.commandMaxAgeSeconds()), c.commandMaxBytes(),
                c.allowInsecureCommands(), allowed);
    }

    /** @return why a command may never touch this PID's attribute, or null */
    static String forbidden(String pid, String attribute) {
        for (String denied : DENIED_PIDS) {
            if (pid.startsWith(denied)) {
                return "PID " + pid + " is never open to commands";
            }
        }
        if (attribute.startsWith(".") || attribute.startsWith("service.") || attribute.startsWith("felix.") || attribute.contains(":")) {
            return "attribute '" + attribute + "' is private";
        }
        if (PATH_ATTRIBUTE.matcher(attribute).matches()) {
            return "attribute '" + attribute + "' names a path";
        }
        return null;
    }

    boolean enabled() {
        return disabledReason == null;
    }

    private static void range(String attribute, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("configuration " + MqttUplinkComponent.PID + ": " + attribute + "=" + value + ": must be "
                    + min + ".." + max);
        }
    }
}
