package io.millwright.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feature values against closed-form expectations. */
class SignalFeaturesTest {

    private static double[] sine(double amplitude, double hz, double rate, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = amplitude * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    @Test
    void aSinesRmsIsItsAmplitudeOverRootTwoAndItsCrestFactorRootTwo() {
        // 50 Hz over exactly 10 periods at 1 kHz
        SignalStatistics s = SignalStatistics.of(sine(3.0, 50, 1000, 200));
        assertThat(s.rms()).isCloseTo(3.0 / Math.sqrt(2), within(1e-12));
        assertThat(s.peak()).isCloseTo(3.0, within(1e-9));
        assertThat(s.crestFactor()).isCloseTo(Math.sqrt(2), within(1e-9));
        assertThat(s.mean()).isCloseTo(0, within(1e-12));
        assertThat(s.peakToPeak()).isCloseTo(6.0, within(1e-9));
        assertThat(s.kurtosis()).as("a sine's kurtosis is 1.5").isCloseTo(1.5, within(1e-9));
        assertThat(s.skewness()).isCloseTo(0, within(1e-9));
    }

    @Test
    void aGaussiansKurtosisIsThreeAndSkewnessZero() {
        Random r = new Random(42);
        double[] x = new double[400_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 5 + 2 * r.nextGaussian();
        }
        SignalStatistics s = SignalStatistics.of(x);
        // standard errors at n = 400k: kurtosis ~ sqrt(24/n) = 0.008, skewness ~ sqrt(6/n) = 0.004
        assertThat(s.kurtosis()).isCloseTo(3.0, within(0.04));
        assertThat(s.skewness()).isCloseTo(0.0, within(0.02));
        assertThat(s.mean()).isCloseTo(5.0, within(0.02));
        assertThat(s.std()).isCloseTo(2.0, within(0.02));
    }

    @Test
    void aRampsSlopeIsItsRatePerDay() {
        // a bearing warming by 1.5 °C per day, sampled every 10 minutes for 3 days, with a 40 °C start
        int n = 3 * 24 * 6;
        long[] t = new long[n];
        double[] v = new double[n];
        long t0 = 1_790_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            t[i] = t0 + i * 600_000_000L;
            v[i] = 40 + 1.5 * (i * 600.0 / 86_400);
        }
        assertThat(Trend.slopePerDay(t, v)).isCloseTo(1.5, within(1e-9));
        assertThat(Trend.slopePerDay(new long[] {t0}, new double[] {1})).isZero();
    }

    @Test
    void aDefectTonesAmplitudeAndBandEnergyAreRecovered() {
        double rate = 10_240;
        int n = 4096;
        double[] x = sine(0.8, 107.5, rate, n); // 107.5 Hz: 43 bins of 2.5 Hz, on a bin
        double[] shaft = sine(2.0, 25, rate, n);
        for (int i = 0; i < n; i++) {
            x[i] += shaft[i];
        }
        Spectrum s = Spectrum.of(x, rate);
        assertThat(s.binWidthHz()).isEqualTo(2.5);
        assertThat(s.amplitudeAt(107.5, 2)).isCloseTo(0.8, within(1e-6));
        assertThat(s.amplitudeAt(25, 2)).isCloseTo(2.0, within(1e-6));
        // mean-square energy of a tone of amplitude A is A²/2, whichever band holds it (Hann leakage stays within ±1 bin)
        assertThat(s.bandEnergy(100, 115)).isCloseTo(0.8 * 0.8 / 2, within(1e-6));
        assertThat(s.bandEnergy(20, 30)).isCloseTo(2.0 * 2.0 / 2, within(1e-6));
        assertThat(s.bandEnergy(300, 2000)).isLessThan(1e-12);
        // Parseval: all bands together equal the time-domain mean square (the RMS²) of the zero-mean block
        assertThat(s.bandEnergy(0, rate / 2)).isCloseTo(Math.pow(SignalStatistics.of(x).rms(), 2), within(1e-6));
    }

    @Test
    void anOffBinToneIsFoundWithinTheTolerance() {
        double rate = 10_240;
        double[] x = sine(1.0, 108.7, rate, 4096); // between bins
        double a = Spectrum.of(x, rate).amplitudeAt(108.7, 2);
        assertThat(a).as("Hann scalloping loss is at most 1.42 dB").isBetween(0.84, 1.0);
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> SignalStatistics.of(new double[] {1, Double.NaN})).hasMessageContaining("value 1").hasMessageContaining("NaN");
        assertThatThrownBy(() -> SignalStatistics.of(new double[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> Spectrum.of(new double[4], 100)).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> Spectrum.of(new double[16], 100).bandEnergy(60, 70)).hasMessageContaining("60.0..70.0 Hz");
    }
}
