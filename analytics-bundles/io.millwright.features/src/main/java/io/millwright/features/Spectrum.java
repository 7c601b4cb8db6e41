package io.millwright.features;

/**
 * The single-sided amplitude spectrum of a waveform block (Hann window, radix-2 FFT, zero-padded to a power of
 * two), for band energies and the amplitude at bearing-defect frequencies.
 *
 * <p>Amplitudes are corrected for the window's coherent gain, so a tone {@code A·sin(2πft)} reads {@code A} at
 * {@code f}; band energies are mean-square values (Parseval, corrected for the window's energy gain), so the band
 * holding that tone has energy {@code A²/2} — the same units as the square of the time-domain RMS.
 */
public final class Spectrum {

    private final double sampleRateHz;
    private final int fftSize;
    private final double[] amplitude; // single-sided peak amplitude per bin, 0..fftSize/2
    private final double[] power; // single-sided mean-square per bin

    private Spectrum(double sampleRateHz, int fftSize, double[] amplitude, double[] power) {
        this.sampleRateHz = sampleRateHz;
        this.fftSize = fftSize;
        this.amplitude = amplitude;
        this.power = power;
    }

    /**
     * @param samples the block, evenly sampled
     * @param sampleRateHz its sample rate
     * @return its spectrum
     * @throws IllegalArgumentException for fewer than 8 samples, a non-positive rate or non-finite samples
     */
    public static Spectrum of(double[] samples, double sampleRateHz) {
        if (samples.length < 8) {
            throw new IllegalArgumentException("a waveform block needs at least 8 samples, not " + samples.length);
        }
        if (!(sampleRateHz > 0) || !Double.isFinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate " + sampleRateHz + " Hz");
        }
        int n = samples.length;
        int size = Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
        double[] re = new double[size];
        double[] im = new double[size];
        double mean = 0;
        for (double s : samples) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("waveform sample " + s);
            }
            mean += s;
        }
        mean /= n;
        double coherent = 0;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n); // periodic Hann over the block
            coherent += w;
            energy += w * w;
            re[i] = (samples[i] - mean) * w;
        }
        fft(re, im);
        int bins = size / 2 + 1;
        double[] amplitude = new double[bins];
        double[] power = new double[bins];
        for (int k = 0; k < bins; k++) {
            double mag2 = re[k] * re[k] + im[k] * im[k];
            double single = k == 0 || k == size / 2 ? 1 : 2;
            amplitude[k] = single * Math.sqrt(mag2) / coherent;
            power[k] = single * mag2 / (energy * n);
        }
        return new Spectrum(sampleRateHz, size, amplitude, power);
    }

    /** @return frequency resolution, Hz per bin */
    public double binWidthHz() {
        return sampleRateHz / fftSize;
    }

    /**
     * Mean-square energy in [lowHz, highHz] (bins whose centre lies in the band).
     *
     * @param lowHz lower edge
     * @param highHz upper edge
     * @return energy in (signal unit)²
     * @throws IllegalArgumentException for an empty or inverted band, or one above Nyquist
     */
    public double bandEnergy(double lowHz, double highHz) {
        if (!(lowHz >= 0 && highHz > lowHz && lowHz < sampleRateHz / 2)) {
            throw new IllegalArgumentException("band " + lowHz + ".." + highHz + " Hz at a sample rate of " + sampleRateHz + " Hz");
        }
        double sum = 0;
        for (int k = 0; k < power.length; k++) {
            double f = k * binWidthHz();
            if (f >= lowHz && f <= highHz) {
                sum += power[k];
            }
        }
        return sum;
    }

    /**
     * Peak amplitude at a frequency: the largest bin within ±{@code toleranceBins} of it (a defect frequency computed
     * from the nominal speed is never exactly on a bin).
     *
     * @param frequencyHz e.g. a bearing's outer-race defect frequency
     * @param toleranceBins bins either side searched
     * @return the amplitude in signal units
     */
    public double amplitudeAt(double frequencyHz, int toleranceBins) {
        if (!(frequencyHz >= 0 && frequencyHz <= sampleRateHz / 2)) {
            throw new IllegalArgumentException("frequency " + frequencyHz + " Hz is outside 0.." + sampleRateHz / 2 + " Hz");
        }
        int centre = (int) Math.round(frequencyHz / binWidthHz());
        double best = 0;
        for (int k = Math.max(0, centre - toleranceBins); k <= Math.min(amplitude.length - 1, centre + toleranceBins); k++) {
            best = Math.max(best, amplitude[k]);
        }
        return best;
    }

    /** In-place iterative radix-2 Cooley–Tukey FFT; length must be a power of two. */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double ncr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = ncr;
                }
            }
        }
    }
}
