package io.millwright.uplink.mqtt.internal;

import io.millwright.identity.api.Actor;
import io.millwright.identity.api.IdentityService;
import io.millwright.identity.api.Role;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who sent a command. Either {@code "token": "mwt_…"} — one of the gateway's API tokens, the sender acting with the
 * token's role — or {@code "hmac": "<64 hex digits>"} as the command's <em>last</em> member: HMAC-SHA256 under the
 * gateway's command key over the payload's exact bytes before {@code ,"hmac":} with the closing brace, i.e. over the
 * JSON text the sender wrote before adding the signature (so id, timestamp, command and arguments are all covered, with
 * no canonical form to agree on). Docs: docs/mqtt.md.
 */
final class CommandSender {

    /** Authenticated, or refused with a reason (never sent back: the sender gets no reply). */
    record Result(Actor actor, String refusal) {
    }

    private static final byte[] HMAC_MEMBER = ",\"hmac\":\"".getBytes(StandardCharsets.US_ASCII);

    private CommandSender() {
    }

    static Result identify(byte[] payload, JsonObject command, CommandSettings settings, IdentityService identity) {
        JsonValue token = command.get("token");
        JsonValue hmac = command.get("hmac");
        if (token != null && hmac != null) {
            return new Result(null, "both a token and an hmac");
        }
        if (token instanceof JsonString t) {
            if (identity == null) {
                return new Result(null, "token given but the identity service is not running");
            }
            return identity.authenticateToken(t.getString()).map(a -> new Result(a, null))
                    .orElse(new Result(null, "unknown, expired or revoked token"));
        }
        if (hmac instanceof JsonString h) {
            if (settings.hmacKey().length == 0) {
                return new Result(null, "hmac given but no command key is configured");
            }
            int at = lastIndexOf(payload, HMAC_MEMBER);
            if (at < 0) {
                return new Result(null, "the hmac member must be written as ,\"hmac\":\"…\" at the end of the command");
            }
            byte[] signed = new byte[at + 1];
            System.arraycopy(payload, 0, signed, 0, at);
            signed[at] = '}';
            byte[] expected;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(settings.hmacKey(), "HmacSHA256"));
                expected = mac.doFinal(signed);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(h.getString());
            } catch (IllegalArgumentException e) {
                return new Result(null, "hmac is not hexadecimal");
            }
            String tail = new String(payload, at + HMAC_MEMBER.length, payload.length - at - HMAC_MEMBER.length, StandardCharsets.UTF_8).strip();
            if (!tail.equals(h.getString() + "\"}")) {
                return new Result(null, "the hmac member must be the command's last member");
            }
            if (!MessageDigest.isEqual(expected, given)) {
                return new Result(null, "wrong signature");
            }
            return new Result(new Actor("hmac-key", settings.hmacRole(), Actor.Kind.TOKEN, "hmac-key"), null);
        }
        return new Result(null, "no sender identity (a \"token\" or an \"hmac\")");
    }

    /** @return the least role a command needs */
    static Role required(String command) {
        return switch (command) {
            case "ping", "status", "get-config" -> Role.VIEWER;
            case "write" -> Role.OPERATOR; // the write guard checks the tag's own policy
            case "optimizer-stop" -> Role.OPERATOR; // the kill switch, as in the console
            case "deploy", "artifact" -> Role.ADMIN; // installs software, as POST /api/v1/deployments
            default -> Role.ENGINEER;
        };
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
