package io.millwright.siteconfig.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;
import org.junit.jupiter.api.Test;

class SiteFileTest {

    @Test
    void namesSayWhetherAFileIsASingletonOrANamedFactoryConfiguration() {
        SiteFile device = SiteFile.parse("io.millwright.driver.modbus.tcp~plc1.cfg", "deviceId=plc1\nhost=192.168.10.20\n");
        assertThat(device.pid()).isEqualTo("io.millwright.driver.modbus.tcp");
        assertThat(device.name()).isEqualTo("plc1");
        assertThat(device.configurationId()).isEqualTo("io.millwright.driver.modbus.tcp~plc1");
        assertThat(device.values()).containsEntry("host", "192.168.10.20");
        SiteFile journal = SiteFile.parse("io.millwright.journal.cfg", "# faster commits\ncommitIntervalMs = 20 \n");
        assertThat(journal.name()).isNull();
        assertThat(journal.values()).containsExactlyEntriesOf(java.util.Map.of("commitIntervalMs", "20"));
        assertThatThrownBy(() -> SiteFile.parse("x~.cfg", "")).hasMessageContaining("x~.cfg");
        assertThatThrownBy(() -> SiteFile.parse("a b.cfg", "")).hasMessageContaining("<factoryPid>~<name>.cfg");
    }

    @Test
    void withoutMetatypeListsBecomeStringArraysAndQuotesGo() throws Exception {
        SiteFile f = SiteFile.parse("some.pid.cfg", "channels=[\"a/b holding:0 uint16\", \"a/c coil:1 bool writable\"]\nname=\"quoted\"\nplain=x\n");
        Hashtable<String, Object> t = AttributeValues.typed(f, null);
        assertThat((String[]) t.get("channels")).containsExactly("a/b holding:0 uint16", "a/c coil:1 bool writable");
        assertThat(t).containsEntry("name", "quoted").containsEntry("plain", "x");
        SiteFile bad = SiteFile.parse("some.pid.cfg", "channels=[\"a\", \n");
        assertThat(bad.values().get("channels")).isEqualTo("[\"a\",");
    }

    @Test
    void theComponentsOwnReasonOfAnActivationFailureIsKept() {
        String failure = "org.osgi.framework.ServiceException: Constructor failed\n\tat org.apache.felix.scr.X.y(X.java:1)\n"
                + "Caused by: java.lang.IllegalArgumentException: configuration io.millwright.simulator.plant: timeAcceleration=0.0: must be 0.1..10000.0\n"
                + "\tat io.millwright.simulator.internal.SimulatedPlantDevice.range(SimulatedPlantDevice.java:174)\n\t... 12 more\n"
                + "Caused by: java.lang.NumberFormatException: For input string: \"x\"\n";
        assertThat(FailedDeviceConfigurations.reason(failure)).isEqualTo("configuration io.millwright.simulator.plant: timeAcceleration=0.0: must be 0.1..10000.0");
        assertThat(FailedDeviceConfigurations.reason(null)).isEqualTo("activation failed");
    }
}
