package io.millwright.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SampleModelTest {

    @Test
    void channelIdRoundTripsThroughItsTextForm() {
        ChannelId id = ChannelId.parse("pump-1/bearing_temperature");
        assertThat(id.asset()).isEqualTo("pump-1");
        assertThat(id.tag()).isEqualTo("bearing_temperature");
        assertThat(id.toString()).isEqualTo("pump-1/bearing_temperature");
    }

    @Test
    void badChannelIdsNameTheBadPart() {
        assertThatThrownBy(() -> ChannelId.parse("pump-1")).hasMessageContaining("'pump-1'");
        assertThatThrownBy(() -> new ChannelId("pump 1", "x")).hasMessageContaining("asset 'pump 1'");
        assertThatThrownBy(() -> new ChannelId("p", "")).hasMessageContaining("tag ''");
        assertThatThrownBy(() -> ChannelId.parse("a/b/c")).hasMessageContaining("'a/b/c'");
    }

    @Test
    void waveformIsImmutableAndKnowsItsRms() {
        double[] points = {1, -1, 1, -1};
        Waveform w = new Waveform(points, 2000);
        points[0] = 99;
        assertThat(w.point(0)).isEqualTo(1.0);
        assertThat(w.asDouble()).isEqualTo(1.0);
        assertThat(w.durationSeconds()).isEqualTo(0.002);
        assertThat(w).isEqualTo(new Waveform(new double[] {1, -1, 1, -1}, 2000));
    }

    @Test
    void waveformRejectsNonsenseSampleRates() {
        assertThatThrownBy(() -> new Waveform(new double[] {1}, 0)).hasMessageContaining("0.0 Hz");
        assertThatThrownBy(() -> new Waveform(new double[] {1}, Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void microsConvertBothWays() {
        Instant t = Instant.parse("2026-11-22T10:15:30.123456Z");
        assertThat(Clocks.toInstant(Clocks.toMicros(t))).isEqualTo(t);
        assertThat(Clocks.toInstant(-1)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
    }
}
