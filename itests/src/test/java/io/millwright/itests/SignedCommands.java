package io.millwright.itests;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Commands as a cloud backend signs them (docs/mqtt.md): the JSON text, then its HMAC-SHA256 appended as the last member. */
final class SignedCommands {

    /** the command key the tests configure ({@code .commandHmacKey}): 32 bytes */
    static final String KEY = "5f1c0ad3e8b2479a6c0d1e2f30415263748596a7b8c9dae0f1021324354657a8";

    private SignedCommands() {
    }

    /** @return the command {@code {"id", "timestamp": now, "command", ...rest}} signed with {@link #KEY} */
    static String command(String id, String command, String rest) {
        return sign("{\"id\":\"" + id + "\",\"timestamp\":\"" + Instant.now() + "\",\"command\":\"" + command + "\"" + rest + "}");
    }

    static String sign(String json) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(KEY), "HmacSHA256"));
            String hmac = HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8)));
            return json.substring(0, json.length() - 1) + ",\"hmac\":\"" + hmac + "\"}";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
