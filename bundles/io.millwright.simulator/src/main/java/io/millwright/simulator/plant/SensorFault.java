package io.millwright.simulator.plant;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A sensor fault injected into one channel of the plant's output, so that data-quality detectors can be seen to fire:
 * {@code "<asset>/<tag> <kind> [after=<seconds>] [rate=<units per hour>]"}, the seconds counted in source time from the
 * first sample.
 *
 * <ul>
 * <li>{@code flatline}: the value freezes at the last one before the fault (a stuck sensor)</li>
 * <li>{@code dropout}: the channel's samples stop (a broken wire)</li>
 * <li>{@code out_of_range}: the value reads -999 (a sensor's error code)</li>
 * <li>{@code time_regression}: every third sample's source time is 5 s early (a gateway clock set back)</li>
 * <li>{@code duplicates}: every sample arrives twice, with the same source time</li>
 * <li>{@code jitter}: each source time is late by up to 95 % of the interval (an overloaded poller)</li>
 * <li>{@code bad}, {@code uncertain}: the samples' quality (a sensor's own diagnosis)</li>
 * <li>{@code drift}: a calibration drift — the value reads high by {@code rate} units per hour of source time since the
 * fault began (1 unless given; negative reads low), the samples still GOOD</li>
 * </ul>
 */
public final class SensorFault {

    /** The kinds of fault. */
    public enum Kind {
        /** value frozen */
        FLATLINE,
        /** no samples */
        DROPOUT,
        /** -999 */
        OUT_OF_RANGE,
        /** source time 5 s early on every third sample */
        TIME_REGRESSION,
        /** every sample twice */
        DUPLICATES,
        /** irregular source times */
        JITTER,
        /** quality BAD */
        BAD,
        /** quality UNCERTAIN */
        UNCERTAIN,
        /** value off by a growing offset */
        DRIFT
    }

    private final ChannelId channel;
    private final Kind kind;
    private final long afterMicros;
    private final double ratePerHour;
    private final Random random = new Random(7);
    private long firstMicros = Long.MIN_VALUE;
    private Value frozen;
    private long count;
    private long lastMicros = Long.MIN_VALUE;

    /**
     * @param channel the channel the fault is on
     * @param kind what goes wrong
     * @param afterSeconds source-time seconds from the first sample until it starts
     */
    public SensorFault(ChannelId channel, Kind kind, double afterSeconds) {
        this(channel, kind, afterSeconds, 1.0);
    }

    /**
     * @param channel the channel the fault is on
     * @param kind what goes wrong
     * @param afterSeconds source-time seconds from the first sample until it starts
     * @param ratePerHour for {@link Kind#DRIFT}: units the value drifts per hour of source time
     */
    public SensorFault(ChannelId channel, Kind kind, double afterSeconds, double ratePerHour) {
        this.channel = channel;
        this.kind = kind;
        this.afterMicros = (long) (afterSeconds * 1e6);
        this.ratePerHour = ratePerHour;
    }

    /**
     * @param text {@code "<asset>/<tag> <kind> [after=<seconds>]"}
     * @return the fault
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SensorFault parse(String text) {
        String expected = "expected '<asset>/<tag> <kind> [after=<seconds>] [rate=<units per hour>]'";
        String[] parts = text == null ? new String[0] : text.trim().split("\\s+");
        if (parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException("sensor fault '" + text + "': " + expected);
        }
        ChannelId c;
        try {
            c = ChannelId.parse(parts[0]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("sensor fault '" + text + "': channel '" + parts[0] + "': " + e.getMessage(), e);
        }
        Kind k;
        try {
            k = Kind.valueOf(parts[1].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sensor fault '" + text + "': kind '" + parts[1] + "': one of "
                    + java.util.Arrays.toString(Kind.values()).toLowerCase(Locale.ROOT), e);
        }
        double after = 0;
        double rate = 1.0;
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (eq < 0 || !(key.equals("after") || key.equals("rate") && k == Kind.DRIFT)) {
                throw new IllegalArgumentException("sensor fault '" + text + "': '" + parts[i] + "': " + expected
                        + (key.equals("rate") ? " (rate is for drift)" : ""));
            }
            double v;
            try {
                v = Double.parseDouble(parts[i].substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sensor fault '" + text + "': " + key + " '" + parts[i].substring(eq + 1) + "' is not a number", e);
            }
            if (key.equals("after")) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("sensor fault '" + text + "': after=" + v + ": must be 0 or more");
                }
                after = v;
            } else {
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("sensor fault '" + text + "': rate=" + v + ": must be a finite number");
                }
                rate = v;
            }
        }
        return new SensorFault(c, k, after, rate);
    }

    /** @return the channel the fault is on */
    public ChannelId channel() {
        return channel;
    }

    /** @return what goes wrong */
    public Kind kind() {
        return kind;
    }

    /**
     * @param batch samples of one tick
     * @return the samples as the faulty sensor delivers them
     */
    public List<Sample> apply(List<Sample> batch) {
        List<Sample> out = null;
        for (int i = 0; i < batch.size(); i++) {
            Sample s = batch.get(i);
            if (!s.channel().equals(channel)) {
                if (out != null) {
                    out.add(s);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(batch.subList(0, i));
            }
            long t = s.sourceTimeMicros();
            if (firstMicros == Long.MIN_VALUE) {
                firstMicros = t;
            }
            if (t - firstMicros < afterMicros) {
                frozen = s.value();
                lastMicros = t;
                out.add(s);
                continue;
            }
            count++;
            long since = t - firstMicros - afterMicros;
            long interval = lastMicros == Long.MIN_VALUE ? 0 : t - lastMicros;
            lastMicros = t;
            switch (kind) {
                case FLATLINE -> out.add(with(s, t, frozen == null ? s.value() : frozen, s.quality()));
                case DROPOUT -> {
                    // nothing arrives
                }
                case OUT_OF_RANGE -> out.add(with(s, t, Value.of(-999.0), s.quality()));
                case TIME_REGRESSION -> out.add(with(s, count % 3 == 0 ? t - 5_000_000L : t, s.value(), s.quality()));
                case DUPLICATES -> {
                    out.add(s);
                    out.add(s);
                }
                case JITTER -> out.add(with(s, t + (long) (random.nextDouble() * 0.95 * interval), s.value(), s.quality()));
                case BAD -> out.add(with(s, t, s.value(), Quality.bad("sensor fault (simulated)")));
                case UNCERTAIN -> out.add(with(s, t, s.value(), Quality.uncertain("sensor fault (simulated)")));
                case DRIFT -> out.add(s.value().type() != io.millwright.api.ValueType.DOUBLE && s.value().type() != io.millwright.api.ValueType.LONG ? s
                        : with(s, t, Value.of(s.value().asDouble() + ratePerHour * since / 3.6e9), s.quality()));
                default -> throw new IllegalStateException(kind.toString());
            }
        }
        return out == null ? batch : out;
    }

    private static Sample with(Sample s, long t, Value v, Quality q) {
        return new Sample(s.channel(), s.sequence(), t, s.ingestTimeMicros(), v, q);
    }

    @Override
    public String toString() {
        return channel + " " + kind.name().toLowerCase(Locale.ROOT) + (afterMicros > 0 ? " after=" + afterMicros / 1e6 : "")
                + (kind == Kind.DRIFT ? " rate=" + ratePerHour : "");
    }
}
