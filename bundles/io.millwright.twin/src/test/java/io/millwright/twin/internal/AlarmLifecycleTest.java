package io.millwright.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.alarm.api.AlarmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transition of the lifecycle from every state, as a table: a latching flag, the steps that lead to a state, the
 * step applied, the state expected and the transition logged ({@code -}: nothing changed; {@code ERROR}: refused).
 * Steps: {@code on} (condition active, priority 3), {@code on:N} (active with priority N), {@code off}, {@code ack},
 * {@code shelve}, {@code unshelve}, {@code expire} (the clock passes the shelf's end), {@code supp}/{@code unsupp}
 * (suppression by design), {@code oos}/{@code rts} (out of service, return), {@code comment}.
 */
class AlarmLifecycleTest {

    private static final String ID = "pump-1/bearing_temperature_hi";

    @ParameterizedTest(name = "{1} + {2} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            false |                | on       | UNACKNOWLEDGED       | ACTIVATED
            false |                | on:1     | UNACKNOWLEDGED       | ACTIVATED
            false |                | off      | NORMAL               | -
            false |                | ack      | NORMAL               | ERROR
            false |                | shelve   | SHELVED              | SHELVED
            false |                | unshelve | NORMAL               | ERROR
            false |                | expire   | NORMAL               | -
            false |                | supp     | SUPPRESSED_BY_DESIGN | SUPPRESSED
            false |                | unsupp   | NORMAL               | -
            false |                | oos      | OUT_OF_SERVICE       | REMOVED_FROM_SERVICE
            false |                | rts      | NORMAL               | ERROR
            false |                | comment  | NORMAL               | COMMENTED
            false | on             | on       | UNACKNOWLEDGED       | -
            false | on             | on:1     | UNACKNOWLEDGED       | ESCALATED
            false | on             | off      | RTN_UNACKNOWLEDGED   | CLEARED
            false | on             | ack      | ACKNOWLEDGED         | ACKNOWLEDGED
            false | on             | shelve   | SHELVED              | SHELVED
            false | on             | unshelve | UNACKNOWLEDGED       | ERROR
            false | on             | supp     | SUPPRESSED_BY_DESIGN | SUPPRESSED
            false | on             | oos      | OUT_OF_SERVICE       | REMOVED_FROM_SERVICE
            false | on             | rts      | UNACKNOWLEDGED       | ERROR
            false | on             | comment  | UNACKNOWLEDGED       | COMMENTED
            false | on ack         | off      | NORMAL               | CLEARED
            false | on ack         | ack      | ACKNOWLEDGED         | ERROR
            false | on ack         | on:1     | UNACKNOWLEDGED       | ESCALATED
            false | on:1 ack       | on       | ACKNOWLEDGED         | DEESCALATED
            false | on ack         | shelve   | SHELVED              | SHELVED
            false | on ack         | supp     | SUPPRESSED_BY_DESIGN | SUPPRESSED
            false | on ack         | oos      | OUT_OF_SERVICE       | REMOVED_FROM_SERVICE
            false | on off         | ack      | NORMAL               | ACKNOWLEDGED
            false | on off         | on       | UNACKNOWLEDGED       | ACTIVATED
            false | on off         | off      | RTN_UNACKNOWLEDGED   | -
            false | on off         | shelve   | SHELVED              | SHELVED
            false | on off         | oos      | OUT_OF_SERVICE       | REMOVED_FROM_SERVICE
            false | on shelve      | unshelve | UNACKNOWLEDGED       | UNSHELVED
            false | on shelve      | expire   | UNACKNOWLEDGED       | SHELF_EXPIRED
            false | on shelve      | off      | SHELVED              | CLEARED
            false | on shelve off  | unshelve | NORMAL               | UNSHELVED
            false | on shelve off  | expire   | NORMAL               | SHELF_EXPIRED
            false | on shelve      | ack      | SHELVED              | ERROR
            false | on shelve      | shelve   | SHELVED              | SHELVED
            false | on shelve      | oos      | OUT_OF_SERVICE       | REMOVED_FROM_SERVICE
            false | on shelve      | supp     | SHELVED              | SUPPRESSED
            false | on ack shelve  | unshelve | UNACKNOWLEDGED       | UNSHELVED
            false | shelve         | on       | SHELVED              | ACTIVATED
            false | shelve         | expire   | NORMAL               | SHELF_EXPIRED
            false | supp           | on       | SUPPRESSED_BY_DESIGN | ACTIVATED
            false | supp on        | unsupp   | UNACKNOWLEDGED       | UNSUPPRESSED
            false | supp           | unsupp   | NORMAL               | UNSUPPRESSED
            false | on supp off    | unsupp   | NORMAL               | UNSUPPRESSED
            false | on supp        | ack      | SUPPRESSED_BY_DESIGN | ERROR
            false | on supp        | on:1     | SUPPRESSED_BY_DESIGN | ESCALATED
            false | oos            | shelve   | OUT_OF_SERVICE       | ERROR
            false | oos            | rts      | NORMAL               | RETURNED_TO_SERVICE
            false | oos on         | rts      | UNACKNOWLEDGED       | RETURNED_TO_SERVICE
            false | oos            | oos      | OUT_OF_SERVICE       | ERROR
            false | oos            | on       | OUT_OF_SERVICE       | ACTIVATED
            false | oos            | ack      | OUT_OF_SERVICE       | ERROR
            false | on oos off     | rts      | NORMAL               | RETURNED_TO_SERVICE
            false | on shelve      | rts      | SHELVED              | ERROR
            true  | on             | off      | RTN_UNACKNOWLEDGED   | CLEARED
            true  | on ack         | off      | RTN_UNACKNOWLEDGED   | CLEARED
            true  | on ack off     | ack      | NORMAL               | ACKNOWLEDGED
            true  | on ack off     | on       | UNACKNOWLEDGED       | ACTIVATED
            true  | on shelve      | off      | SHELVED              | CLEARED
            true  | on shelve off  | unshelve | NORMAL               | UNSHELVED
            """)
    void transition(boolean latching, String prefix, String step, AlarmState expected, String transition) {
        AlarmRecord r = new AlarmRecord();
        long[] clock = {1_000};
        if (prefix != null) {
            for (String s : prefix.trim().split("\\s+")) {
                apply(r, s, latching, clock);
            }
        }
        AlarmState before = r.state;
        if (transition.equals("ERROR")) {
            assertThatThrownBy(() -> apply(r, step, latching, clock)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(ID).hasMessageContaining(before.name());
            assertThat(r.state).isEqualTo(before);
            return;
        }
        AlarmLifecycle.Change c = apply(r, step, latching, clock);
        assertThat(r.state).isEqualTo(expected);
        assertThat(r.derive()).isEqualTo(expected);
        if (transition.equals("-")) {
            assertThat(c).isNull();
        } else {
            assertThat(c).isNotNull();
            assertThat(c.transition().name()).isEqualTo(transition);
            assertThat(c.from()).isEqualTo(before);
            assertThat(c.to()).isEqualTo(expected);
            if (c.to() != c.from()) {
                assertThat(r.stateSinceMs).isEqualTo(clock[0]);
            }
        }
    }

    @Test
    void personalActionsNameTheActorAndKeepTheComment() {
        AlarmRecord r = new AlarmRecord();
        AlarmLifecycle.activate(r, 10, 2, "91.3 Cel", "bearing_temperature 91.3 Cel > 85");
        AlarmLifecycle.Change c = AlarmLifecycle.acknowledge(ID, r, 20, "olga", "checking the pump");
        assertThat(c.actor()).isEqualTo("olga");
        assertThat(c.comment()).isEqualTo("checking the pump");
        assertThat(c.cause()).contains("olga");
        assertThat(r.priority).isEqualTo(2);
        assertThat(r.activeSinceMs).isEqualTo(10);
        assertThat(r.stateSinceMs).isEqualTo(20);
    }

    @Test
    void chatteringIsThreeActivationsWithinAMinute() {
        AlarmRecord r = new AlarmRecord();
        assertThat(r.noteActivation(1_000)).isFalse();
        assertThat(r.noteActivation(30_000)).isFalse();
        assertThat(r.noteActivation(60_000)).isTrue();
        assertThat(r.noteActivation(200_000)).isFalse();
    }

    @Test
    void recordsSurviveEncoding() throws Exception {
        AlarmRecord r = new AlarmRecord();
        AlarmLifecycle.activate(r, 10, 2, "91.3 Cel", "hot");
        AlarmLifecycle.shelve(ID, r, 20, "olga", "sensor check", 99_000);
        r.noteActivation(10);
        r.pendingSinceMs = 15;
        r.lastNumber = 91.3;
        var bytes = new java.io.ByteArrayOutputStream();
        r.write(new java.io.DataOutputStream(bytes));
        AlarmRecord back = AlarmRecord.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        var again = new java.io.ByteArrayOutputStream();
        back.write(new java.io.DataOutputStream(again));
        assertThat(again.toByteArray()).isEqualTo(bytes.toByteArray());
        assertThat(back.state).isEqualTo(AlarmState.SHELVED);
        assertThat(back.shelf.untilMs()).isEqualTo(99_000);
        r.correlation = "pump-1/s.pump-bearing.rul@10000";
        var withId = new java.io.ByteArrayOutputStream();
        r.write(new java.io.DataOutputStream(withId));
        assertThat(AlarmRecord.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(withId.toByteArray()))).correlation)
                .isEqualTo("pump-1/s.pump-bearing.rul@10000");
    }

    @Test
    void recordsOfTheFormerVersionAreReadWithoutACorrelationId() throws Exception {
        AlarmRecord r = new AlarmRecord();
        AlarmLifecycle.activate(r, 10, 2, "91.3 Cel", "hot");
        var bytes = new java.io.ByteArrayOutputStream();
        r.write(new java.io.DataOutputStream(bytes));
        byte[] v2 = bytes.toByteArray();
        // version 1: the same fields without the trailing correlation id (an empty text: two length bytes)
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 2);
        v1[0] = 1;
        AlarmRecord back = AlarmRecord.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(v1)));
        assertThat(back.state).isEqualTo(r.state);
        assertThat(back.value).isEqualTo("91.3 Cel");
        assertThat(back.correlation).isEmpty();
        var event = new io.millwright.alarm.api.AlarmEvent(7, 10, ID, io.millwright.alarm.api.AlarmTransition.ACTIVATED, AlarmState.NORMAL,
                AlarmState.UNACKNOWLEDGED, 2, true, "91.3 Cel", "hot", "", "", new io.millwright.alarm.api.AlarmContext("s", "a", "l", "pump", "A"));
        byte[] e2 = EventCodec.encode(event);
        byte[] e1 = java.util.Arrays.copyOf(e2, e2.length - 2);
        e1[0] = 1;
        assertThat(EventCodec.decode(e1)).isEqualTo(event);
        var withId = new io.millwright.alarm.api.AlarmEvent(7, 10, ID, io.millwright.alarm.api.AlarmTransition.ACTIVATED, AlarmState.NORMAL,
                AlarmState.UNACKNOWLEDGED, 2, true, "91.3 Cel", "hot", "", "", event.context(), "pump-1/bearing_temperature@10000");
        assertThat(EventCodec.decode(EventCodec.encode(withId))).isEqualTo(withId);
    }

    private static AlarmLifecycle.Change apply(AlarmRecord r, String step, boolean latching, long[] clock) {
        long t = clock[0] += 1_000;
        return switch (step.contains(":") ? step.substring(0, step.indexOf(':')) : step) {
            case "on" -> AlarmLifecycle.activate(r, t, step.contains(":") ? Integer.parseInt(step.substring(3)) : 3, "1", "on");
            case "off" -> AlarmLifecycle.clear(r, t, latching, "0", "off");
            case "ack" -> AlarmLifecycle.acknowledge(ID, r, t, "olga", "");
            case "shelve" -> AlarmLifecycle.shelve(ID, r, t, "olga", "nuisance", t + 60_000);
            case "unshelve" -> AlarmLifecycle.unshelve(ID, r, t, "olga", "");
            case "expire" -> AlarmLifecycle.expireShelf(r, clock[0] += 120_000);
            case "supp" -> AlarmLifecycle.suppress(r, t, true, "asset stopped");
            case "unsupp" -> AlarmLifecycle.suppress(r, t, false, "asset running");
            case "oos" -> AlarmLifecycle.removeFromService(ID, r, t, "olga", "sensor broken");
            case "rts" -> AlarmLifecycle.returnToService(ID, r, t, "olga", "");
            case "comment" -> AlarmLifecycle.comment(r, t, "olga", "looked at it");
            default -> throw new IllegalArgumentException(step);
        };
    }
}
