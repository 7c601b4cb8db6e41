package io.millwright.alarm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AlarmDefinitionTest {

    @Test
    void parsesEverySetting() {
        AlarmDefinition d = AlarmDefinition.parse("bearing_temperature_hi HI bearing_temperature limit=85 deadband=3 onDelay=10s "
                + "offDelay=500ms priority=2 latching suppressWhen=stopped,maintenance");
        assertThat(d.kind()).isEqualTo(AlarmKind.HI);
        assertThat(d.tag()).isEqualTo("bearing_temperature");
        assertThat(d.limit()).isEqualTo(85);
        assertThat(d.deadband()).isEqualTo(3);
        assertThat(d.onDelayMs()).isEqualTo(10_000);
        assertThat(d.offDelayMs()).isEqualTo(500);
        assertThat(d.priority()).isEqualTo(2);
        assertThat(d.latching()).isTrue();
        assertThat(d.suppressWhen()).containsExactly("stopped", "maintenance");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a HI t limit=85 deadband=3 onDelay=10000ms offDelay=500ms priority=2 latching suppressWhen=stopped,maintenance",
        "b STATE rul_urgency states=WARNING:3,CRITICAL:1",
        "c DEVIATION speed limit=50 priority=3 setpoint=speed_setpoint",
        "d STALE speed limit=3 priority=4",
        "e BAD_QUALITY speed priority=4",
        "f RATE bearing_temperature limit=0.5 priority=3",
        "g LOLO flow limit=-1.5 priority=1"})
    void textFormReadsBackEqual(String line) {
        AlarmDefinition d = AlarmDefinition.parse(line);
        assertThat(AlarmDefinition.parse(d.toText())).isEqualTo(d);
    }

    @Test
    void statesCarryTheirPriorityAndTheHighestIsTheAlarms() {
        AlarmDefinition d = AlarmDefinition.parse("rul STATE rul_urgency states=WARNING:3,CRITICAL:1");
        assertThat(d.states()).isEqualTo(Map.of("WARNING", 3, "CRITICAL", 1));
        assertThat(d.priority()).isEqualTo(1);
        assertThat(d.priorityOf("CRITICAL")).isEqualTo(1);
        assertThat(d.priorityOf("NORMAL")).isZero();
        AlarmDefinition trip = AlarmDefinition.parse("trip STATE trip_reason states=*:1");
        assertThat(trip.priorityOf("bearing failure: outer race defect")).isEqualTo(1);
        assertThat(trip.priorityOf("")).isZero();
    }

    @Test
    void overridesChangeSettingsButNotTheIdentity() {
        AlarmDefinition d = AlarmDefinition.parse("hi HI t limit=85 priority=3").withOverrides("limit=80 priority=1 suppressWhen=");
        assertThat(d.limit()).isEqualTo(80);
        assertThat(d.priority()).isEqualTo(1);
        assertThat(d.suppressWhen()).isEqualTo(Set.of());
        assertThat(d.name()).isEqualTo("hi");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            hi HI t                          | limit ''
            hi HI t limit=abc                | limit 'abc'
            hi HI t limit=85 priority=5      | priority '5'
            hi HI t limit=85 onDelay=10      | onDelay '10'
            hi HI t limit=85 deadband=-1     | deadband '-1.0'
            hi HI t limit=85 colour=red      | colour 'red'
            hi HI t limit=85 suppressWhen=x  | suppressWhen 'x'
            hi HUGE t limit=85               | kind 'HUGE'
            hi RATE t limit=0                | limit '0.0'
            hi STATE t                       | states ''
            hi STATE t states=WARNING:9      | states 'WARNING:9'
            hi DEVIATION t limit=5           | setpoint ''
            h/i HI t limit=5                 | name 'h/i'
            """)
    void errorsNameTheSettingAndTheValue(String line, String expected) {
        assertThatThrownBy(() -> AlarmDefinition.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }
}
