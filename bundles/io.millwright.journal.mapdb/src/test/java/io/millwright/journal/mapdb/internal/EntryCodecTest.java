package io.millwright.journal.mapdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.api.Waveform;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

    private static final ChannelId TEMP = ChannelId.parse("pump-1/bearing_temperature");
    private static final ChannelId VIB = ChannelId.parse("pump-1/vibration");
    private static final List<ChannelId> CHANNELS = List.of(TEMP, VIB);

    private static byte[] encode(List<Sample> samples, long before) {
        return EntryCodec.encode(samples, 0, samples.size(), 3, 77, before, CHANNELS::indexOf);
    }

    @Test
    void everyValueTypeAndQualityRoundTrips() {
        List<Sample> samples = List.of(
                new Sample(TEMP, 1, 1_700_000_000_000_000L, 1_700_000_000_000_500L, Value.of(61.25), Quality.GOOD),
                new Sample(TEMP, 2, 1_700_000_000_500_000L, 1_699_999_999_000_000L, Value.of(Double.NaN), Quality.bad("non-finite value NaN")),
                new Sample(TEMP, 3, 1_700_000_001_000_000L, 1_700_000_001_000_100L, Value.of(-42L), Quality.uncertain("clock skew")),
                new Sample(TEMP, 4, 1_700_000_001_000_000L, 1_700_000_001_000_100L, Value.of(true), Quality.GOOD),
                new Sample(TEMP, 5, 1_700_000_001_000_000L, 1_700_000_001_000_100L, Value.of(false), Quality.GOOD),
                new Sample(VIB, 1, 1_700_000_001_000_000L, 1_700_000_001_000_100L, Value.of("batch ä-17"), Quality.GOOD),
                new Sample(VIB, 2, 1_700_000_002_000_000L, 1_700_000_002_000_100L,
                        new Waveform(new double[] {0.5, -0.25, Double.MIN_VALUE}, 4096), Quality.GOOD));
        byte[] bytes = encode(samples, 123_456);

        assertThat(EntryCodec.decode(bytes, CHANNELS::get)).isEqualTo(samples);
        assertThat(EntryCodec.samplesBefore(bytes)).isEqualTo(123_456);
        assertThat(EntryCodec.sampleCount(bytes)).isEqualTo(7);
        assertThat(EntryCodec.header(bytes)).as("the entry names its epoch and position").isEqualTo(new EntryCodec.Header(3, 77, 123_456, 7));
    }

    @Test
    void anEntryIsFoundByItsFrameAnywhereInABuffer() {
        byte[] entry = encode(List.of(new Sample(TEMP, 9, 10, 20, Value.of(1.5), Quality.GOOD)), 41);
        byte[] buf = new byte[entry.length + 100];
        new java.util.Random(7).nextBytes(buf);
        System.arraycopy(entry, 0, buf, 37, entry.length);
        assertThat(Frames.lengthAt(buf, 37, buf.length)).isEqualTo(entry.length);
        assertThat(Frames.lengthAt(buf, 36, buf.length)).isEqualTo(-1);
        buf[37 + 20] ^= 1;
        assertThat(Frames.lengthAt(buf, 37, buf.length)).as("a flipped bit fails the frame").isEqualTo(-1);
    }

    @Test
    void aScalarSampleCostsAboutTwentyBytes() {
        List<Sample> samples = new java.util.ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            long t = 1_700_000_000_000_000L + i * 1000L;
            samples.add(new Sample(TEMP, i, t, t + 50, Value.of(60 + i * 0.01), Quality.GOOD));
        }
        assertThat(encode(samples, 0).length).isBetween(12_000, 20_000);
    }

    @Test
    void aFlippedBitIsDetectedNotDecoded() {
        byte[] bytes = encode(List.of(new Sample(TEMP, 1, 10, 20, Value.of(1.5), Quality.GOOD)), 0);
        bytes[13] ^= 0x10;
        assertThatThrownBy(() -> EntryCodec.decode(bytes, CHANNELS::get))
                .isInstanceOf(EntryCodec.DamagedEntryException.class).hasMessageContaining("checksum");
    }

    @Test
    void truncatedEntryIsDetected() {
        byte[] bytes = encode(List.of(new Sample(TEMP, 1, 10, 20, Value.of(1.5), Quality.GOOD)), 0);
        assertThatThrownBy(() -> EntryCodec.decode(java.util.Arrays.copyOf(bytes, 3), CHANNELS::get))
                .isInstanceOf(EntryCodec.DamagedEntryException.class);
    }
}
