package io.millwright.ingest.internal;

import io.millwright.api.DoubleValue;
import io.millwright.api.Quality;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.ValueType;
import io.millwright.api.Waveform;
import io.millwright.driver.api.ChannelDescriptor;

/**
 * Checks one sample against its channel's declaration and the clock. Pure: no state, no I/O.
 *
 * <ul>
 * <li>type differs from the declared type: rejected (a number can't be stored as another type);</li>
 * <li>non-finite number or waveform point: kept with BAD quality;</li>
 * <li>number outside the declared engineering bounds: kept with BAD quality;</li>
 * <li>source timestamp not positive or further in the future than the allowed skew: kept with
 * UNCERTAIN quality (device clocks drift; the value itself may be fine);</li>
 * <li>a device's own BAD or UNCERTAIN quality is never upgraded.</li>
 * </ul>
 */
final class SampleValidator {

    /** The verdict: rejected with a reason, or accepted with the quality to store. */
    record Verdict(boolean rejected, Quality quality) {
        static Verdict reject(String reason) {
            return new Verdict(true, Quality.bad(reason));
        }
    }

    private final long maxFutureSkewMicros;

    SampleValidator(long maxFutureSkewMicros) {
        this.maxFutureSkewMicros = maxFutureSkewMicros;
    }

    Verdict check(Sample sample, ChannelDescriptor declared, long nowMicros) {
        ValueType type = sample.value().type();
        if (declared != null && declared.type() != type) {
            return Verdict.reject("channel " + sample.channel() + " is declared " + declared.type() + " but the sample is " + type);
        }
        Quality quality = sample.quality();
        if (type == ValueType.DOUBLE) {
            double v = ((DoubleValue) sample.value()).value();
            if (!Double.isFinite(v)) {
                return keep(worse(quality, Quality.bad("non-finite value " + v)));
            }
            if (declared != null && !declared.inRange(v)) {
                return keep(worse(quality, Quality.bad("value " + v + " outside [" + declared.min() + ", " + declared.max() + "]")));
            }
        } else if (type == ValueType.LONG && declared != null && !declared.inRange(sample.value().asDouble())) {
            return keep(worse(quality, Quality.bad("value " + sample.value().asDouble() + " outside [" + declared.min() + ", "
                    + declared.max() + "]")));
        } else if (type == ValueType.WAVEFORM && !((Waveform) sample.value()).isFinite()) {
            return keep(worse(quality, Quality.bad("waveform contains non-finite points")));
        }
        long t = sample.sourceTimeMicros();
        if (t <= 0) {
            return keep(worse(quality, Quality.uncertain("source timestamp " + t + " is not after 1970")));
        }
        if (t - nowMicros > maxFutureSkewMicros) {
            return keep(worse(quality, Quality.uncertain("source timestamp " + (t - nowMicros) / 1000 + " ms in the future")));
        }
        return keep(quality);
    }

    private static Verdict keep(Quality q) {
        return new Verdict(false, q);
    }

    private static Quality worse(Quality device, Quality found) {
        if (device.level() == QualityLevel.BAD) {
            return device;
        }
        if (device.level() == QualityLevel.UNCERTAIN && found.level() == QualityLevel.UNCERTAIN) {
            return device;
        }
        return found;
    }
}
