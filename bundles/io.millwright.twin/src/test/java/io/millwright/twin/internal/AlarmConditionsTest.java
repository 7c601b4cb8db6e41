package io.millwright.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.AlarmTransition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conditions as tables: a definition, a series of samples {@code time:value} (one per second unless given), and the
 * transitions expected at which times.
 */
class AlarmConditionsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            t HI x limit=85 deadband=3                   | 0:80 1:86 2:84 3:83 4:81.9 5:90     | 1:ACTIVATED 4:CLEARED 5:ACTIVATED
            t HI x limit=85 onDelay=3s                   | 0:86 1:86 2:80 3:86 4:86 5:86 6:86  | 6:ACTIVATED
            t HI x limit=85 offDelay=2s                  | 0:86 1:80 2:86 3:80 4:80 5:80       | 0:ACTIVATED 5:CLEARED
            t LO x limit=10 deadband=1                   | 0:12 1:9 2:10.5 3:11.5              | 1:ACTIVATED 3:CLEARED
            t LOLO x limit=-5                            | 0:0 1:-6 2:-4                       | 1:ACTIVATED 2:CLEARED
            t RATE x limit=2                             | 0:10 1:11 2:14 3:15 4:16            | 2:ACTIVATED 3:CLEARED
            t STATE u states=WARNING:3,CRITICAL:1        | 0:NORMAL 1:WARNING 2:WARNING 3:CRITICAL 4:WARNING 5:NORMAL | 1:ACTIVATED 3:ESCALATED 4:DEESCALATED 5:CLEARED
            t STATE u states=WARNING:3,CRITICAL:1 onDelay=2s | 0:WARNING 1:CRITICAL 2:CRITICAL 3:NORMAL          | 2:ACTIVATED 3:CLEARED
            t STATE trip states=*:1                      | 0: 1:bearing_failure 2:              | 1:ACTIVATED 2:CLEARED
            t HI x limit=85                              | 0:80 1:BAD 2:90 3:BAD 4:80          | 2:ACTIVATED 4:CLEARED
            t BAD_QUALITY x                              | 0:80 1:BAD 2:BAD 3:80               | 1:ACTIVATED 3:CLEARED
            """)
    void conditions(String definition, String samples, String expected) {
        AlarmDefinition d = AlarmDefinition.parse(definition);
        AlarmRecord r = new AlarmRecord();
        List<String> seen = new ArrayList<>();
        for (String s : samples.trim().split("\\s+")) {
            int colon = s.indexOf(':');
            long t = Long.parseLong(s.substring(0, colon)) * 1000;
            String v = s.substring(colon + 1);
            boolean bad = v.equals("BAD");
            double number = Double.NaN;
            String text = v;
            try {
                number = Double.parseDouble(v);
                text = null;
            } catch (NumberFormatException e) {
                // a state
            }
            AlarmLifecycle.Change c = AlarmConditions.onSample(d, r, t, number, bad ? null : text, bad, Double.NaN, "Cel");
            if (c != null) {
                seen.add(t / 1000 + ":" + c.transition());
            }
        }
        assertThat(String.join(" ", seen)).isEqualTo(expected.trim());
    }

    @Test
    void deviationComparesWithTheSetpoint() {
        AlarmDefinition d = AlarmDefinition.parse("dev DEVIATION speed limit=50 deadband=10 setpoint=speed_setpoint");
        AlarmRecord r = new AlarmRecord();
        assertThat(AlarmConditions.onSample(d, r, 1000, 1480, null, false, 1480, "rpm")).isNull();
        var on = AlarmConditions.onSample(d, r, 2000, 1400, null, false, 1480, "rpm");
        assertThat(on.transition()).isEqualTo(AlarmTransition.ACTIVATED);
        assertThat(on.cause()).contains("speed 1400 rpm deviates more than 50 rpm of speed_setpoint");
        assertThat(AlarmConditions.onSample(d, r, 3000, 1435, null, false, 1480, "rpm")).isNull();
        assertThat(AlarmConditions.onSample(d, r, 4000, 1445, null, false, 1480, "rpm").transition()).isEqualTo(AlarmTransition.CLEARED);
    }

    @Test
    void staleDataIsSilenceLongerThanLimitTimesTheExpectedInterval() {
        AlarmDefinition d = AlarmDefinition.parse("stale STALE speed limit=3 priority=4");
        AlarmRecord r = new AlarmRecord();
        assertThat(AlarmConditions.onClock(d, r, 13_000, 10_000, 1000)).isNull();
        var on = AlarmConditions.onClock(d, r, 13_500, 10_000, 1000);
        assertThat(on.transition()).isEqualTo(AlarmTransition.ACTIVATED);
        assertThat(on.cause()).contains("no sample for 3.5 s");
        assertThat(r.state).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(AlarmConditions.onSample(d, r, 14_000, 1480, null, false, Double.NaN, "rpm").transition()).isEqualTo(AlarmTransition.CLEARED);
    }

    @Test
    void messagesSayWhatHappenedWithUnitsAndTheHeldTime() {
        AlarmDefinition d = AlarmDefinition.parse("hi HI bearing_temperature limit=85 deadband=3 onDelay=10s");
        AlarmRecord r = new AlarmRecord();
        AlarmConditions.onSample(d, r, 0, 91.3, null, false, Double.NaN, "Cel");
        var on = AlarmConditions.onSample(d, r, 10_000, 91.34, null, false, Double.NaN, "Cel");
        assertThat(on.cause()).isEqualTo("bearing_temperature 91.34 Cel > 85 Cel (HI) for 10 s");
        assertThat(r.value).isEqualTo("91.34 Cel");
        var off = AlarmConditions.onSample(d, r, 11_000, 81.5, null, false, Double.NaN, "Cel");
        assertThat(off.cause()).isEqualTo("bearing_temperature 81.5 Cel back to ≤ 82 Cel (HI85 − deadband 3)");
    }
}
