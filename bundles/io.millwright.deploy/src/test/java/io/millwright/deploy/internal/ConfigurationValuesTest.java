package io.millwright.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a deployment replaced comes back with its types after a restart (the job file's round trip). */
class ConfigurationValuesTest {

    @Test
    void typesAndArraysSurviveTheJobFile() {
        Hashtable<String, Object> before = new Hashtable<>();
        before.put("deviceId", "plc-1");
        before.put("port", 502);
        before.put("pollIntervalMs", 250L);
        before.put("scale", 0.01);
        before.put("enabled", true);
        before.put("channels", new String[] {"line-1/pressure holding:0 uint16", "line-1/speed holding:1 uint16"});
        before.put("ids", new long[] {1, 2});
        before.put("tags", List.of("a", "b"));
        before.put("service.pid", "io.millwright.driver.modbus.tcp~x");
        Dictionary<String, Object> back = ConfigurationValues.fromJson(ConfigurationValues.toJson(before));
        assertThat(back.get("deviceId")).isEqualTo("plc-1");
        assertThat(back.get("port")).isEqualTo(502);
        assertThat(back.get("pollIntervalMs")).isEqualTo(250L);
        assertThat(back.get("scale")).isEqualTo(0.01);
        assertThat(back.get("enabled")).isEqualTo(true);
        assertThat((String[]) back.get("channels")).containsExactly("line-1/pressure holding:0 uint16", "line-1/speed holding:1 uint16");
        assertThat((Long[]) back.get("ids")).containsExactly(1L, 2L);
        assertThat((String[]) back.get("tags")).containsExactly("a", "b");
        assertThat(back.get("service.pid")).as("Config Admin's own").isNull();
    }
}
