package io.millwright.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MahalanobisTest {

    /** Speed and current rise together (a pump under load); temperature is independent noise. */
    private static List<double[]> healthy(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double speed = 1480 + 100 * gaussian(r);
            rows.add(new double[] {speed, 0.02 * speed + 0.3 * gaussian(r), 65 + 2 * gaussian(r)});
        }
        return rows;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void aVectorThatBreaksTheHealthyCorrelationIsFartherThanOneThatFollowsIt() {
        Mahalanobis m = Mahalanobis.fit(healthy(2000, 1), 0.01);
        double[] typical = {1480, 29.6, 65};
        double[] fasterAndLoaded = {1680, 33.6, 65}; // two standard deviations of speed, current following
        double[] fasterButIdle = {1680, 29.6, 65}; // the same speed, but the current of the mean: a broken coupling?
        assertThat(m.distance(typical)).isLessThan(0.3);
        assertThat(m.distance(fasterAndLoaded)).isBetween(1.5, 3.0);
        assertThat(m.distance(fasterButIdle)).as("against the correlation").isGreaterThan(4 * m.distance(fasterAndLoaded));
        assertThat(m.distance(new double[] {1480, 29.6, 71})).as("temperature 3 sd off").isBetween(2.5, 3.5);
        assertThat(m.distance(new double[] {1480, Double.NaN, 65})).as("a missing feature counts as its mean").isLessThan(0.3);
        // without shrinkage, the squared distance of healthy vectors averages the number of features (chi-square, 3 degrees
        // of freedom); shrinkage widens the narrow directions, so it reads less
        Mahalanobis exact = Mahalanobis.fit(healthy(2000, 1), 0);
        double sum = 0;
        double shrunk = 0;
        for (double[] v : healthy(2000, 2)) {
            sum += exact.distance(v) * exact.distance(v);
            shrunk += m.distance(v) * m.distance(v);
        }
        assertThat(shrunk).isLessThan(sum);
        assertThat(sum / 2000).isBetween(2.7, 3.3);
    }

    @Test
    void theTextFormRoundTripsAndABadOneIsNamed() {
        Mahalanobis m = Mahalanobis.fit(healthy(100, 3), 0.05);
        Mahalanobis read = Mahalanobis.parse(m.toText());
        double[] v = {1600, 31, 70};
        assertThat(read.distance(v)).isEqualTo(m.distance(v));
        assertThat(read.features()).isEqualTo(3);
        String text = new String(m.toText(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Mahalanobis.parse(text.replaceFirst("mean \\S+", "mean x").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("line 4 (mean): 'x' is not a number");
        assertThatThrownBy(() -> Mahalanobis.parse("a model".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("first line");
        assertThatThrownBy(() -> m.distance(new double[] {1, 2})).hasMessageContaining("2 features for a model of 3");
    }

    @Test
    void tooFewWindowsOrAFeatureThatCopiesAnotherAreNamed() {
        assertThatThrownBy(() -> Mahalanobis.fit(healthy(4, 1), 0.05)).hasMessageContaining("4 healthy windows for 3 features");
        List<double[]> copies = new ArrayList<>();
        for (double[] r : healthy(100, 4)) {
            copies.add(new double[] {r[0], r[0] * 2, r[2]});
        }
        assertThatThrownBy(() -> Mahalanobis.fit(copies, 0)).hasMessageContaining("singular at feature 2");
        assertThat(Mahalanobis.fit(copies, 0.05).distance(new double[] {1480, 2960, 65})).as("shrinkage makes it usable").isLessThan(1);
    }
}
