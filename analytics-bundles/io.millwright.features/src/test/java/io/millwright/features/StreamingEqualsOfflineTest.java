package io.millwright.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.WindowRange;
import io.millwright.api.Value;
import io.millwright.api.Waveform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Streaming windows (samples fed as a reader would, in journal batches of random size) give exactly the vectors that
 * offline slicing of the same data by time gives.
 */
class StreamingEqualsOfflineTest {

    private static final long SECOND = 1_000_000L;
    private static final FeatureSetDefinition SET = new FeatureSetDefinition("pump-bearing", 1, 60 * SECOND, 30 * SECOND,
            List.of("speed.mean", "speed.std", "speed.running_hours", "bearing_temp.slope", "bearing_temp.max", "vibration.rms",
                    "vibration.kurtosis", "vibration.band_10_200", "vibration.amp_107.5", "vibration.count"));

    private record Row(String tag, long time, Value value, long position) {
    }

    private static List<Row> plant(int seconds) {
        Random r = new Random(7);
        List<Row> rows = new ArrayList<>();
        long t0 = 1_790_000_000L * SECOND;
        long pos = 0;
        for (int s = 0; s < seconds; s++) {
            for (int k = 0; k < 10; k++) { // 10 Hz scalars
                long t = t0 + s * SECOND + k * SECOND / 10;
                rows.add(new Row("speed", t, Value.of(s % 200 < 150 ? 1480 + r.nextGaussian() : 0.0), pos++));
                rows.add(new Row("bearing_temp", t, Value.of(40 + s / 3600.0 + 0.1 * r.nextGaussian()), pos++));
            }
            if (s % 5 == 0) { // a waveform block every 5 s
                double[] w = new double[1024];
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.3 * Math.sin(2 * Math.PI * 107.5 * i / 10_240.0) + 0.05 * r.nextGaussian();
                }
                rows.add(new Row("vibration", t0 + s * SECOND, new Waveform(w, 10_240), pos++));
            }
        }
        return rows;
    }

    @Test
    void streamingInRandomBatchesEqualsOfflineSlicingExactly() {
        List<Row> rows = plant(900);
        FeatureExtractor extractor = new FeatureExtractor(SET);

        List<FeatureVector> streamed = new ArrayList<>();
        WindowAssembler assembler = new WindowAssembler(SET.windowMicros(), SET.hopMicros(),
                w -> streamed.add(extractor.extract("pump-1", w.range(), w.channels())));
        Random batches = new Random(3);
        for (int i = 0; i < rows.size();) {
            int n = 1 + batches.nextInt(500);
            for (int j = i; j < Math.min(rows.size(), i + n); j++) {
                Row row = rows.get(j);
                assembler.accept(row.tag(), row.time(), row.value(), row.position());
            }
            i += n;
        }

        // offline: slice the whole record by time, window by window, without the assembler
        List<FeatureVector> offline = new ArrayList<>();
        long first = Math.floorDiv(rows.get(0).time(), SET.hopMicros()) * SET.hopMicros();
        long last = rows.get(rows.size() - 1).time();
        for (long start = first; start + SET.windowMicros() <= last; start += SET.hopMicros()) {
            long end = start + SET.windowMicros();
            Map<String, List<Row>> byTag = new HashMap<>();
            long from = Long.MAX_VALUE;
            long to = Long.MIN_VALUE;
            for (Row row : rows) {
                if (row.time() >= start && row.time() < end) {
                    byTag.computeIfAbsent(row.tag(), t -> new ArrayList<>()).add(row);
                    from = Math.min(from, row.position());
                    to = Math.max(to, row.position());
                }
            }
            Map<String, ChannelWindow> channels = new HashMap<>();
            byTag.forEach((tag, rs) -> {
                List<Row> scalars = rs.stream().filter(x -> !(x.value() instanceof Waveform)).toList();
                channels.put(tag, new ChannelWindow(scalars.stream().mapToLong(Row::time).toArray(),
                        scalars.stream().mapToDouble(x -> x.value().asDouble()).toArray(),
                        rs.stream().map(Row::value).filter(Waveform.class::isInstance).map(Waveform.class::cast).toList()));
            });
            offline.add(extractor.extract("pump-1", new WindowRange(from, to + 1, start, end), channels));
        }

        assertThat(streamed).hasSize(offline.size()).hasSizeGreaterThan(25);
        assertThat(streamed).isEqualTo(offline); // every value bit for bit (Arrays.equals on doubles)
        FeatureVector v = streamed.get(3);
        assertThat(v.value("vibration.count")).isEqualTo(12.0);
        assertThat(v.value("vibration.amp_107.5")).isBetween(0.28, 0.32);
        assertThat(v.value("speed.mean")).isBetween(1470.0, 1490.0);
        assertThat(v.value("speed.running_hours")).isBetween(59.8 / 3600, 60.0 / 3600);
        assertThat(assembler.late()).isZero();
    }

    @Test
    void lateSamplesAreCountedNotUsedAndGapsSkipWindows() {
        List<WindowAssembler.Window> windows = new ArrayList<>();
        WindowAssembler a = new WindowAssembler(10 * SECOND, 10 * SECOND, windows::add);
        a.accept("x", 0, Value.of(1.0), 0);
        a.accept("x", 5 * SECOND, Value.of(2.0), 1);
        a.accept("x", 3600 * SECOND, Value.of(3.0), 2); // an hour later: one window closed, none for the gap
        a.accept("x", 7 * SECOND, Value.of(9.0), 3); // late
        a.accept("x", 3615 * SECOND, Value.of(4.0), 4);
        assertThat(windows).hasSize(2);
        assertThat(windows.get(0).range()).isEqualTo(new WindowRange(0, 2, 0, 10 * SECOND));
        assertThat(windows.get(0).channels().get("x").values()).containsExactly(1.0, 2.0);
        assertThat(windows.get(1).range().fromMicros()).isEqualTo(3600 * SECOND);
        assertThat(a.late()).isEqualTo(1);
    }

    @Test
    void unknownFeaturesAreNamed() {
        assertThatThrownBy(() -> new FeatureExtractor(new FeatureSetDefinition("x", 1, SECOND, SECOND, List.of("vibration.rms", "speed.median"))))
                .hasMessageContaining("x@1").hasMessageContaining("speed.median").hasMessageContaining("unknown feature 'median'");
        assertThatThrownBy(() -> new FeatureExtractor(new FeatureSetDefinition("x", 1, SECOND, SECOND, List.of("vibration.band_200_10"))))
                .hasMessageContaining("vibration.band_200_10");
        assertThatThrownBy(() -> new FeatureSetDefinition("x", 1, SECOND, SECOND, List.of("a.rms", "a.rms"))).hasMessageContaining("twice");
    }
}
