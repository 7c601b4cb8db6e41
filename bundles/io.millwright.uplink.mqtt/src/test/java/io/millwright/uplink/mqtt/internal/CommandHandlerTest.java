package io.millwright.uplink.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.file.AuditFile;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.ApiToken;
import io.millwright.identity.api.IdentityService;
import io.millwright.identity.api.IssuedToken;
import io.millwright.identity.api.Role;
import io.millwright.identity.api.UserAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    private static final String VIEWER_TOKEN = "mwt_0123456789ab_" + "v".repeat(43);

    @TempDir
    Path dir;
    AuditFile audit;
    CommandSettings settings;
    CommandHandler handler;

    /** The gateway's identity service as far as commands use it: one viewer token. */
    static final class OneToken implements IdentityService {
        @Override
        public Optional<Actor> authenticate(String user, char[] password) {
            return Optional.empty();
        }

        @Override
        public Optional<Actor> authenticateToken(String secret) {
            return VIEWER_TOKEN.equals(secret) ? Optional.of(new Actor("token:0123456789ab", Role.VIEWER, Actor.Kind.TOKEN, "cloud"))
                    : Optional.empty();
        }

        @Override
        public List<UserAccount> users() {
            return List.of();
        }

        @Override
        public List<ApiToken> tokens() {
            return List.of();
        }

        @Override
        public UserAccount addUser(Actor by, String name, Role role, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPassword(Actor by, String name, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRole(Actor by, String name, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeUser(Actor by, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IssuedToken issueToken(Actor by, String owner, Role role, Duration validity, String description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void revokeToken(Actor by, String id) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void setUp() {
        audit = AuditFile.open(dir.resolve("audit.log"));
        settings = new CommandSettings(null, KEY, Role.ENGINEER, Duration.ofMinutes(5), 64 * 1024, false,
                Map.of("io.millwright.journal", Set.of("commitIntervalMs")));
        handler = handler(dir.resolve("ids"));
    }

    private CommandHandler handler(Path ids) {
        return new CommandHandler("gw1", settings, new ReplayGuard(ids, settings.maxAge(), NOW), OneToken::new, () -> audit, () -> null,
                g -> g.write("connected", true), Clock.fixed(NOW, ZoneOffset.UTC),
                (pid, changes) -> changes.containsKey("commitIntervalMs") ? pid + ": commitIntervalMs=0 refused: below the minimum 1" : null, () -> null,
                () -> null, () -> null);
    }

    /** What a cloud backend sends: the JSON it wrote, with the HMAC over exactly that text appended as the last member. */
    static String signed(String json) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String hmac = HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        return json.substring(0, json.length() - 1) + ",\"hmac\":\"" + hmac + "\"}";
    }

    private String reply(String payload) {
        byte[] r = handler.handle(payload.getBytes(StandardCharsets.UTF_8), false, "ssl://broker:8883").response();
        return r == null ? null : new String(r, StandardCharsets.UTF_8);
    }

    private AuditEntry lastAudit() {
        List<AuditEntry> all = audit.read(1, 1000);
        return all.get(all.size() - 1);
    }

    @Test
    void aSignedPingIsAnsweredAndAudited() throws Exception {
        assertThat(reply(signed("{\"id\":\"r1\",\"timestamp\":\"2026-11-22T09:59:58Z\",\"command\":\"ping\"}")))
                .isEqualTo("{\"v\":1,\"kind\":\"response\",\"gateway\":\"gw1\",\"id\":\"r1\",\"ok\":true,\"result\":{\"pong\":\"2026-11-22T10:00:00Z\"}}");
        assertThat(lastAudit().event()).satisfies(e -> {
            assertThat(e.actor()).isEqualTo("hmac-key");
            assertThat(e.action()).isEqualTo("command.ping");
            assertThat(e.result()).isEqualTo("ok");
            assertThat(e.source()).isEqualTo("mqtt");
        });
        assertThat(handler.refused()).isZero();
    }

    @Test
    void everyUnauthenticatedStaleReplayedRetainedOrOversizedCommandGetsNoReplyIsCountedAndAudited() throws Exception {
        String ok = signed("{\"id\":\"r2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\"}");
        assertThat(reply(ok)).contains("\"ok\":true");
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("replayed", ok);
        refused.put("wrong signature", ok.replace("\"ping\"", "\"pong\"").replace("r2", "r3"));
        refused.put("stale", signed("{\"id\":\"r4\",\"timestamp\":\"2026-11-22T09:50:00Z\",\"command\":\"ping\"}"));
        refused.put("from the future", signed("{\"id\":\"r5\",\"timestamp\":\"2026-11-22T10:10:00Z\",\"command\":\"ping\"}"));
        refused.put("no identity", "{\"id\":\"r6\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\"}");
        refused.put("unknown token", "{\"id\":\"r7\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\",\"token\":\"mwt_guess\"}");
        String r8 = signed("{\"id\":\"r8\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\"}");
        refused.put("hmac not last", r8.substring(0, r8.length() - 1) + ",\"args\":{}}");
        refused.put("not json", "this is not json");
        refused.put("bad id", signed("{\"id\":\"../../etc\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\"}"));
        refused.put("1 MiB", "{\"id\":\"r9\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
        int n = 0;
        for (Map.Entry<String, String> e : refused.entrySet()) {
            assertThat(reply(e.getValue())).as(e.getKey()).isNull();
            assertThat(handler.refused()).as(e.getKey() + " counted").isEqualTo(++n);
            assertThat(lastAudit().event().result()).as(e.getKey() + " audited").isEqualTo("refused");
        }
        assertThat(handler.handle(signed("{\"id\":\"r10\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\"}")
                .getBytes(StandardCharsets.UTF_8), true, "ssl://broker:8883").response()).as("retained").isNull();
        assertThat(lastAudit().event().detail()).contains("retained");
        assertThat(audit.read(1, 1000)).extracting(x -> x.event().detail()).anyMatch(d -> d.contains("replayed"))
                .anyMatch(d -> d.contains("wrong signature")).anyMatch(d -> d.startsWith("stale")).anyMatch(d -> d.contains("over the cap"));
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aReplayAfterARestartIsRefusedToo() throws Exception {
        String ok = signed("{\"id\":\"r11\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"ping\"}");
        assertThat(reply(ok)).contains("\"ok\":true");
        handler = handler(dir.resolve("ids"));
        assertThat(reply(ok)).isNull();
        assertThat(lastAudit().event().detail()).contains("replayed: command id 'r11'");
    }

    @Test
    void setConfigTouchesOnlyAllowedAttributesAndAnsweredRefusalsNameTheReason() throws Exception {
        assertThat(reply(signed("{\"id\":\"c1\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"set-config\",\"args\":"
                + "{\"pid\":\"io.millwright.uplink.mqtt\",\"properties\":{\"brokerUri\":\"tcp://evil:1883\"}}}")))
                .contains("\"ok\":false").contains("\\\"pid\\\" must be one of [io.millwright.journal]");
        assertThat(reply(signed("{\"id\":\"c2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"set-config\",\"args\":"
                + "{\"pid\":\"io.millwright.journal\",\"properties\":{\"directory\":\"/tmp/x\"}}}"))).contains("names a path");
        assertThat(reply(signed("{\"id\":\"c3\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"set-config\",\"args\":"
                + "{\"pid\":\"io.millwright.journal\",\"properties\":{\".secret\":\"x\"}}}"))).contains("is private");
        assertThat(reply(signed("{\"id\":\"c4\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"set-config\",\"args\":"
                + "{\"pid\":\"io.millwright.journal\",\"properties\":{\"budgetMb\":1}}}"))).contains("is not open to commands");
        // Configuration Admin is absent here (null): had the change been persisted, the reply would say so
        assertThat(reply(signed("{\"id\":\"c5\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"set-config\",\"args\":"
                + "{\"pid\":\"io.millwright.journal\",\"properties\":{\"commitIntervalMs\":0}}}"))).contains("commitIntervalMs=0 refused");
        assertThat(audit.read(1, 100)).extracting(e -> e.event().action() + " " + e.event().result())
                .containsOnly("command.set-config refused");
        assertThat(handler.refused()).as("answered refusals are not silent ones").isZero();
    }

    @Test
    void aTokenActsWithItsRoleOnly() {
        assertThat(reply("{\"id\":\"t1\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"status\",\"token\":\"" + VIEWER_TOKEN + "\"}"))
                .contains("\"ok\":true").contains("\"connected\":true");
        assertThat(reply("{\"id\":\"t2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"reconnect\",\"token\":\"" + VIEWER_TOKEN + "\"}"))
                .contains("\"ok\":false").contains("forbidden: token:0123456789ab (viewer) may not reconnect: needs engineer");
        assertThat(lastAudit().event().actor()).isEqualTo("token:0123456789ab");
    }

    @Test
    void reconnectIsAcknowledgedThenCarriedOut() throws Exception {
        CommandHandler.Outcome o = handler.handle(signed("{\"id\":\"r12\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"command\":\"reconnect\"}")
                .getBytes(StandardCharsets.UTF_8), false, "ssl://broker:8883");
        assertThat(o.reconnect()).isTrue();
        assertThat(new String(o.response(), StandardCharsets.UTF_8)).contains("\"reconnecting\":true");
    }

    @Test
    void commandsAreOffOverPlainTcpOrWithAShortKeyUnlessTheInsecureFlagIsSet() {
        assertThat(CommandSettings.forbidden("org.apache.felix.webconsole.internal.servlet.OsgiManager", "password")).contains("never open");
        assertThat(CommandSettings.forbidden("io.millwright.scoring.weka", "modelFolder")).contains("never open");
        assertThat(CommandSettings.forbidden("io.millwright.journal", "budgetMb")).isNull();
    }
}
