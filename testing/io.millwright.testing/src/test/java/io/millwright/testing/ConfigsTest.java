package io.millwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigsTest {

    @interface Sample {
        String name();

        int interval() default 1000;

        String[] channels() default {};
    }

    @Test
    void givenValuesWinDefaultsFillInAndTyposAreRefused() {
        Sample s = Configs.of(Sample.class, Map.of("name", "plc1", "channels", new String[] {"a/b"}));
        assertThat(s.name()).isEqualTo("plc1");
        assertThat(s.interval()).isEqualTo(1000);
        assertThat(s.channels()).containsExactly("a/b");
        assertThat(s.annotationType()).isEqualTo(Sample.class);
        assertThatThrownBy(() -> Configs.of(Sample.class, Map.of("name", "x", "intervall", 5))).hasMessageContaining("'intervall'");
        assertThatThrownBy(() -> Configs.of(Sample.class, Map.of())).hasMessageContaining("'name'");
    }
}
