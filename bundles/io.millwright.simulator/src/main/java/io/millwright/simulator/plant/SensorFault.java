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
 * {@code "<asset>/<tag> <kind> [after=<seconds>]"}, the seconds counted in source time from the first sample.
 *
 * <ul>
 * <li>{@code flatline}: the value freezes at the last one before the fault (a stuck sensor)</li>
 * <li>{@code dropout}: the channel's samples stop (a broken wire)</li>
 * <li>{@code out_of_range}: the value reads -999 (a sensor's error code)</li>
 * <li>{@code time_regression}: every third sample's source time is 5 s early (a gateway clock set back)</li>
 * <li>{@code duplicates}: every sample arrives twice, with the same source time</li>
 * <li>{@code jitter}: each source time is late by up to 95 % of the interval (an overloaded poller)</li>
 * <li>{@code bad}, {@code uncertain}: the samples' quality (a sensor's own diagnosis)</li>
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
        UNCERTAIN
    }

    private final ChannelId channel;
    private final Kind kind;
    private final long afterMicros;
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
        this.channel = channel;
        this.kind = kind;
        this.afterMicros = (long) (afterSeconds * 1e6);
    }

    /**
     * @param text {@code "<asset>/<tag> <kind> [after=<seconds>]"}
     * @return the fault
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SensorFault parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s+");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("sensor fault '" + text + "': expected '<asset>/<tag> <kind> [after=<seconds>]'");
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
        if (parts.length == 3) {
            if (!parts[2].startsWith("after=")) {
                throw new IllegalArgumentException("sensor fault '" + text + "': '" + parts[2] + "': expected after=<seconds>");
            }
            try {
                after = Double.parseDouble(parts[2].substring(6));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sensor fault '" + text + "': after '" + parts[2].substring(6) + "' is not a number", e);
            }
            if (!(after >= 0)) {
                throw new IllegalArgumentException("sensor fault '" + text + "': after=" + after + ": must be 0 or more");
            }
        }
        return new SensorFault(c, k, after);
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
        return channel + " " + kind.name().toLowerCase(Locale.ROOT) + (afterMicros > 0 ? " after=" + afterMicros / 1e6 : "");
    }
}
