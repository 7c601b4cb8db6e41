package io.millwright.uplink.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {

    private final CommandHandler handler = new CommandHandler("gw1", "s3cret".toCharArray(), List.of("io.millwright.journal"),
            () -> null, g -> g.write("connected", true), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC),
            (pid, changes) -> changes.containsKey("commitIntervalMs") ? pid + ": commitIntervalMs=0 refused: below the minimum 1" : null);

    private String reply(String command) {
        return new String(handler.handle(command.getBytes(StandardCharsets.UTF_8)).response(), StandardCharsets.UTF_8);
    }

    @Test
    void pingAndStatusAnswerWithTheRequestId() {
        assertThat(reply("{\"id\":\"r1\",\"command\":\"ping\",\"token\":\"s3cret\"}"))
                .isEqualTo("{\"v\":1,\"kind\":\"response\",\"gateway\":\"gw1\",\"id\":\"r1\",\"ok\":true,\"result\":{\"pong\":\"2026-11-22T10:00:00Z\"}}");
        assertThat(reply("{\"id\":\"r2\",\"command\":\"status\",\"token\":\"s3cret\"}")).contains("\"ok\":true").contains("\"connected\":true");
    }

    @Test
    void malformedUnknownAndUnauthorizedCommandsGetErrors() {
        assertThat(reply("not json")).contains("\"id\":null").contains("\"ok\":false").contains("malformed command: not JSON");
        assertThat(reply("[1,2]")).contains("expected a JSON object");
        assertThat(reply("{\"command\":\"ping\"}")).contains("missing \\\"id\\\"");
        assertThat(reply("{\"id\":\"r3\",\"command\":\"ping\",\"token\":\"wrong\"}")).contains("\"id\":\"r3\"").contains("unauthorized");
        assertThat(reply("{\"id\":\"r4\",\"command\":\"ping\"}")).contains("unauthorized");
        assertThat(reply("{\"id\":\"r5\",\"command\":\"format-disk\",\"token\":\"s3cret\"}")).contains("unknown command 'format-disk'");
        assertThat(reply("{\"id\":\"r6\",\"command\":\"set-config\",\"token\":\"s3cret\",\"args\":{\"pid\":\"org.apache.felix.webconsole\"}}"))
                .contains("\"pid\\\" must be one of [io.millwright.journal]");
    }

    @Test
    void aChangeTheCheckRefusesIsAnsweredWithTheReasonAndNeverReachesConfigurationAdmin() {
        // Configuration Admin is absent here (null): had the change been persisted, the reply would say so
        assertThat(reply("{\"id\":\"r9\",\"command\":\"set-config\",\"token\":\"s3cret\",\"args\":{\"pid\":\"io.millwright.journal\","
                + "\"properties\":{\"commitIntervalMs\":0}}}")).contains("\"ok\":false").contains("commitIntervalMs=0 refused");
    }

    @Test
    void reconnectIsAcknowledgedThenCarriedOut() {
        CommandHandler.Outcome o = handler.handle("{\"id\":\"r7\",\"command\":\"reconnect\",\"token\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(o.reconnect()).isTrue();
        assertThat(new String(o.response(), StandardCharsets.UTF_8)).contains("\"reconnecting\":true");
    }

    @Test
    void withoutATokenCommandsAreDisabled() {
        CommandHandler disabled = new CommandHandler("gw1", new char[0], List.of(), () -> null, g -> { }, Clock.systemUTC(), (p, c) -> null);
        assertThat(new String(disabled.handle("{\"id\":\"r8\",\"command\":\"ping\",\"token\":\"\"}".getBytes(StandardCharsets.UTF_8)).response(),
                StandardCharsets.UTF_8)).contains("commands are disabled");
    }
}
