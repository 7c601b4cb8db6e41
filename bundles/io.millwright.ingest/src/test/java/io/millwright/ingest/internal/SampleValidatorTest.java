package io.millwright.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.api.Waveform;
import io.millwright.driver.api.ChannelDescriptor;
import org.junit.jupiter.api.Test;

class SampleValidatorTest {

    private static final ChannelId TEMP = ChannelId.parse("pump-1/bearing_temperature");
    private static final ChannelDescriptor DECLARED = new ChannelDescriptor(TEMP, ValueType.DOUBLE, "Cel", -40, 200, false);
    private static final long NOW = 1_800_000_000_000_000L;
    private final SampleValidator validator = new SampleValidator(300_000_000L);

    private SampleValidator.Verdict check(Value v, long t, Quality q) {
        return validator.check(Sample.of(TEMP, t, v, q), DECLARED, NOW);
    }

    @Test
    void aPlausibleValueStaysGood() {
        assertThat(check(Value.of(61.5), NOW, Quality.GOOD)).isEqualTo(new SampleValidator.Verdict(false, Quality.GOOD));
    }

    @Test
    void aWronglyTypedSampleIsRejectedNamingChannelAndTypes() {
        SampleValidator.Verdict v = check(Value.of("hot"), NOW, Quality.GOOD);
        assertThat(v.rejected()).isTrue();
        assertThat(v.quality().reason()).contains("pump-1/bearing_temperature").contains("DOUBLE").contains("STRING");
    }

    @Test
    void nonFiniteAndOutOfRangeNumbersAreKeptAsBad() {
        assertThat(check(Value.of(Double.NaN), NOW, Quality.GOOD).quality())
                .isEqualTo(Quality.bad("non-finite value NaN"));
        assertThat(check(Value.of(Double.POSITIVE_INFINITY), NOW, Quality.GOOD).quality().level()).isEqualTo(QualityLevel.BAD);
        SampleValidator.Verdict v = check(Value.of(950.0), NOW, Quality.GOOD);
        assertThat(v.rejected()).isFalse();
        assertThat(v.quality().reason()).isEqualTo("value 950.0 outside [-40.0, 200.0]");
    }

    @Test
    void aWaveformWithNaNIsBad() {
        ChannelId vib = ChannelId.parse("pump-1/vibration");
        SampleValidator.Verdict v = validator.check(
                Sample.of(vib, NOW, new Waveform(new double[] {0, Double.NaN}, 4096), Quality.GOOD), null, NOW);
        assertThat(v.quality().level()).isEqualTo(QualityLevel.BAD);
    }

    @Test
    void futureAndPreEpochTimestampsAreUncertain() {
        assertThat(check(Value.of(50.0), NOW + 600_000_000L, Quality.GOOD).quality())
                .isEqualTo(Quality.uncertain("source timestamp 600000 ms in the future"));
        assertThat(check(Value.of(50.0), NOW + 200_000_000L, Quality.GOOD).quality()).isEqualTo(Quality.GOOD);
        assertThat(check(Value.of(50.0), 0, Quality.GOOD).quality().level()).isEqualTo(QualityLevel.UNCERTAIN);
    }

    @Test
    void aDevicesBadQualityIsNeverUpgradedOrReplaced() {
        Quality device = Quality.bad("Modbus exception 2: illegal data address");
        assertThat(check(Value.of(Double.NaN), NOW, device).quality()).isEqualTo(device);
        assertThat(check(Value.of(50.0), NOW, device).quality()).isEqualTo(device);
    }
}
