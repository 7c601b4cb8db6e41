package io.millwright.features;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.WindowRange;
import io.millwright.api.Waveform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Computes a feature set's vector from one window of an asset's channels. Feature names are {@code <tag>.<feature>}:
 *
 * <ul>
 * <li>{@code mean std min max rms peak p2p crest kurtosis skewness} — of the scalar values, or of a waveform
 *     channel's points (all blocks in the window);</li>
 * <li>{@code slope} — least-squares slope of the scalar values, units per day;</li>
 * <li>{@code band_<low>_<high>} — mean-square energy between two frequencies in Hz (e.g. {@code band_10_200}),
 *     averaged over the window's waveform blocks;</li>
 * <li>{@code amp_<hz>} — amplitude at a frequency (e.g. a bearing defect frequency, {@code amp_107.4}), ±2 bins,
 *     averaged over the blocks;</li>
 * <li>{@code running_hours} — hours in the window during which the channel was above zero (a running flag or a
 *     speed), from consecutive sample times;</li>
 * <li>{@code count} — number of samples.</li>
 * </ul>
 *
 * A feature whose channel has no samples in the window is NaN (the model validator decides what to do with it).
 */
public final class FeatureExtractor {

    private final FeatureSetDefinition set;
    private final List<Feature> features;

    private record Feature(String tag, ToDoubleFunction<ChannelWindow> compute) {
    }

    /**
     * @param set the feature set
     * @throws IllegalArgumentException naming the first feature that is not understood
     */
    public FeatureExtractor(FeatureSetDefinition set) {
        this.set = set;
        List<Feature> out = new ArrayList<>();
        for (String name : set.features()) {
            // amp_107.4 contains a dot: there the tag ends before ".amp_", elsewhere at the last dot
            int split = name.matches(".*\\.amp_[0-9.]+$") ? name.lastIndexOf(".amp_") : name.lastIndexOf('.');
            if (split <= 0) {
                throw new IllegalArgumentException("feature set " + set.id() + ": feature '" + name + "' is not <tag>.<feature>");
            }
            String tag = name.substring(0, split);
            String feature = name.substring(split + 1);
            out.add(new Feature(tag, compute(set, name, feature)));
        }
        this.features = List.copyOf(out);
    }

    private static ToDoubleFunction<ChannelWindow> compute(FeatureSetDefinition set, String name, String feature) {
        switch (feature) {
            case "mean": return stats(SignalStatistics::mean);
            case "std": return stats(SignalStatistics::std);
            case "min": return stats(SignalStatistics::min);
            case "max": return stats(SignalStatistics::max);
            case "rms": return stats(SignalStatistics::rms);
            case "peak": return stats(SignalStatistics::peak);
            case "p2p": return stats(SignalStatistics::peakToPeak);
            case "crest": return stats(SignalStatistics::crestFactor);
            case "kurtosis": return stats(SignalStatistics::kurtosis);
            case "skewness": return stats(SignalStatistics::skewness);
            case "count": return w -> w.values().length + w.waveforms().size();
            case "slope": return w -> w.values().length == 0 ? Double.NaN : Trend.slopePerDay(w.timesMicros(), w.values());
            case "running_hours": return FeatureExtractor::runningHours;
            default:
                break;
        }
        try {
            if (feature.startsWith("band_")) {
                String[] p = feature.substring(5).split("_");
                double low = Double.parseDouble(p[0]);
                double high = Double.parseDouble(p[1]);
                if (p.length != 2 || !(high > low) || low < 0) {
                    throw new IllegalArgumentException("need band_<low>_<high> with 0 <= low < high");
                }
                return spectral(s -> s.bandEnergy(low, high));
            }
            if (feature.startsWith("amp_")) {
                double hz = Double.parseDouble(feature.substring(4));
                if (!(hz > 0)) {
                    throw new IllegalArgumentException("need amp_<hz> with hz > 0");
                }
                return spectral(s -> s.amplitudeAt(hz, 2));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("feature set " + set.id() + ": feature '" + name + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("feature set " + set.id() + ": feature '" + name + "': unknown feature '" + feature
                + "' (known: mean std min max rms peak p2p crest kurtosis skewness count slope running_hours band_<lo>_<hi> amp_<hz>)");
    }

    private static ToDoubleFunction<ChannelWindow> stats(ToDoubleFunction<SignalStatistics> pick) {
        return w -> {
            double[] v = points(w);
            return v.length == 0 ? Double.NaN : pick.applyAsDouble(SignalStatistics.of(v));
        };
    }

    /** The values a time-domain statistic is taken over: the waveform points if any, else the scalar values. */
    private static double[] points(ChannelWindow w) {
        if (w.waveforms().isEmpty()) {
            return w.values();
        }
        int n = 0;
        for (Waveform f : w.waveforms()) {
            n += f.length();
        }
        double[] all = new double[n];
        int at = 0;
        for (Waveform f : w.waveforms()) {
            double[] p = f.toArray();
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static ToDoubleFunction<ChannelWindow> spectral(ToDoubleFunction<Spectrum> pick) {
        return w -> {
            if (w.waveforms().isEmpty()) {
                return Double.NaN;
            }
            double sum = 0;
            for (Waveform f : w.waveforms()) {
                sum += pick.applyAsDouble(Spectrum.of(f.toArray(), f.sampleRateHz()));
            }
            return sum / w.waveforms().size();
        };
    }

    private static double runningHours(ChannelWindow w) {
        long[] t = w.timesMicros();
        double[] v = w.values();
        if (v.length == 0) {
            return Double.NaN;
        }
        long running = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i - 1] > 0) {
                running += t[i] - t[i - 1];
            }
        }
        return running / 3_600e6;
    }

    /** @return the channel tags the features are computed from */
    public java.util.Set<String> tags() {
        return features.stream().map(Feature::tag).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** @return the feature set */
    public FeatureSetDefinition featureSet() {
        return set;
    }

    /**
     * @param asset the asset
     * @param window the window's journal and time range
     * @param channels the window's samples by tag (tags without samples may be absent)
     * @return the vector, in the feature set's order
     */
    public FeatureVector extract(String asset, WindowRange window, Map<String, ChannelWindow> channels) {
        double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++) {
            Feature f = features.get(i);
            ChannelWindow w = channels.get(f.tag());
            values[i] = w == null || w.isEmpty() ? Double.NaN : f.compute().applyAsDouble(w);
        }
        return new FeatureVector(asset, set.name(), set.version(), window, set.features(), values);
    }
}
