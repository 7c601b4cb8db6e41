package io.millwright.asset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitConversionsTest {

    @ParameterizedTest(name = "{1} {0} = {3} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            degF  | 212    | Cel   | 100
            degF  | 32     | Cel   | 0
            Cel   | 20     | K     | 293.15
            Cel   | 85     | Cel   | 85
            m3/min| 10     | m3/h  | 600
            l/min | 1000   | m3/h  | 60
            bar   | 1.5    | kPa   | 150
            psi   | 100    | bar   | 6.894757293168
            rpm   | 3000   | Hz    | 50
            m/s2  | 9.81   | m/s^2 | 9.81
            kW    | 1.2    | W     | 1200
            {parts}| 7     | 1     | 7
            """)
    void convertsBetweenUnitsOfOneQuantity(String from, double value, String to, double expected) {
        assertThat(UnitConversions.between(from, to).apply(value)).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Cel    | bar  | different quantities
            furlong| m    | 'furlong' is not one
            """)
    void refusesWithTheUnitsNamed(String from, String to, String message) {
        assertThatThrownBy(() -> UnitConversions.between(from, to)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
