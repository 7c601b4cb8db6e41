package io.millwright.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorrelationIdTest {

    @Test
    void aScoresPartsShareTheModelsIdAndOtherChannelsKeepTheirOwn() {
        long t = 1_764_567_580_000_000L;
        String id = "pump-1/s.pump-bearing.pump-bearing-rul@" + t;
        for (String part : new String[] {"result", "urgency", "lineage", "shadow"}) {
            assertThat(CorrelationId.of(new ChannelId("pump-1", "s.pump-bearing.pump-bearing-rul." + part), t)).isEqualTo(id);
        }
        assertThat(CorrelationId.of(new ChannelId("pump-1", "bearing_temperature"), t)).isEqualTo("pump-1/bearing_temperature@" + t);
        assertThat(CorrelationId.of(new ChannelId("pump-1", "q.bearing_temperature"), t)).isEqualTo("pump-1/q.bearing_temperature@" + t);
    }
}
