package io.millwright.asset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.millwright.api.ChannelId;
import io.millwright.api.ValueType;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.ConsistencyRule;
import io.millwright.asset.api.AssetTag;
import io.millwright.driver.api.ChannelDescriptor;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssetModelBuilderTest {

    private static final Map<ChannelId, ChannelDescriptor> DEVICES = Map.of(
            ChannelId.parse("compressor-1/flow"), new ChannelDescriptor(ChannelId.parse("compressor-1/flow"), ValueType.DOUBLE, "m3/min", -1, 30, false),
            ChannelId.parse("compressor-1/speed_setpoint"), new ChannelDescriptor(ChannelId.parse("compressor-1/speed_setpoint"), ValueType.DOUBLE, "rpm", 0, 3600, true),
            ChannelId.parse("press-3/motor_current"), new ChannelDescriptor(ChannelId.parse("press-3/motor_current"), ValueType.DOUBLE, "A", 0, 100, false));

    @Test
    void templateTagsComeFromTheAssetsOwnChannelsAndConvertToTheCanonicalUnit() {
        var built = AssetModelBuilder.build(List.of(compressorClass()), List.of(asset("io.millwright.asset~compressor-1", "compressor-1",
                "compressor", "flow min=0 max=1800")), DEVICES);
        assertThat(built.problems()).isEmpty();
        Asset a = built.assets().get("compressor-1");
        assertThat(a.path()).isEqualTo("demo/utilities/air-1/compressor-1");
        AssetTag flow = a.tag("flow").orElseThrow();
        assertThat(flow.source()).isEqualTo(ChannelId.parse("compressor-1/flow"));
        assertThat(flow.deviceUnit()).isEqualTo("m3/min");
        assertThat(flow.unit()).isEqualTo("m3/h");
        assertThat(flow.toCanonical(10)).isCloseTo(600, within(1e-9));
        assertThat(flow.max()).isEqualTo(1800);
        assertThat(a.tag("speed_setpoint").orElseThrow().writable()).isTrue();
        assertThat(a.tag("bearing_temperature").orElseThrow().expectedIntervalMs()).isEqualTo(1000);
        assertThat(a.alarms()).extracting(d -> d.name()).containsExactly("bearing_temperature_hi", "flow_lo");
        assertThat(built.bindings().get(ChannelId.parse("compressor-1/flow")).asset()).isEqualTo("compressor-1");
    }

    @Test
    void aModbusDeviceGetsAnAssetByConfigurationAlone() {
        var cls = AssetClassConfiguration.parse(classConfig("press", new String[] {"motor_current unit=A interval=1s"},
                new String[] {"current_hi HI motor_current limit=80 priority=2"}));
        var built = AssetModelBuilder.build(List.of(source(cls)), List.of(asset("io.millwright.asset~press-3", "press-3", "press",
                "motor_current source=press-3/motor_current", "temperature source=press-3/oil_temp deviceUnit=degF unit=Cel")), DEVICES);
        assertThat(built.problems()).isEmpty();
        Asset a = built.assets().get("press-3");
        assertThat(a.tag("temperature").orElseThrow().toCanonical(212)).isCloseTo(100, within(1e-9));
        assertThat(a.alarms()).hasSize(1);
    }

    @Test
    void problemsNameThePidTheAttributeAndTheReasonAndLeaveOutOnlyWhatIsBroken() {
        var built = AssetModelBuilder.build(List.of(compressorClass()), List.of(
                asset("io.millwright.asset~x", "x", "turbine"),
                asset("io.millwright.asset~c1", "compressor-1", "compressor", "flow unit=Cel", "extra source=compressor-1/flow"),
                asset("io.millwright.asset~c2", "compressor-1", "compressor")), DEVICES);
        assertThat(built.problems()).anySatisfy(p -> assertThat(p).contains("io.millwright.asset~x").contains("assetClass 'turbine'"))
                .anySatisfy(p -> assertThat(p).contains("io.millwright.asset~c1").contains("tag 'flow'").contains("different quantities"))
                .anySatisfy(p -> assertThat(p).contains("alarm 'flow_lo'").contains("no tag 'flow'"))
                .anySatisfy(p -> assertThat(p).contains("io.millwright.asset~c2").contains("another asset has that id"));
        Asset c1 = built.assets().get("compressor-1");
        assertThat(c1.tag("flow")).isEmpty();
        assertThat(c1.tag("extra")).isPresent();
        assertThat(c1.tag("bearing_temperature")).isPresent();
        assertThat(built.assets()).doesNotContainKey("x");
    }

    @Test
    void overridesChangeOrDisableTheClassesAlarms() {
        var built = AssetModelBuilder.build(List.of(compressorClass()), List.of(new AssetSource("pid", "compressor-1", "", "demo", "utilities",
                "air-1", "compressor", "A", List.of(), List.of(), List.of("bearing_temperature_hi limit=80 priority=1", "flow_lo disabled",
                "nope limit=1"), "")), DEVICES);
        Asset a = built.assets().get("compressor-1");
        assertThat(a.alarms()).singleElement().satisfies(d -> {
            assertThat(d.limit()).isEqualTo(80);
            assertThat(d.priority()).isEqualTo(1);
        });
        assertThat(built.problems()).singleElement().asString().contains("alarmOverrides").contains("no alarm 'nope'");
    }

    @Test
    void aClassThatDoesNotParseIsAProblemNotAnException() {
        var cfg = classConfig("bad", new String[] {"t unit=furlong"}, new String[0]);
        var source = new AssetClassConfiguration(cfg, Map.of("service.pid", "io.millwright.asset.class~bad"));
        assertThat(source.assetClass()).isNull();
        assertThat(source.problem()).contains("io.millwright.asset.class~bad").contains("'furlong'");
    }

    @Test
    void consistencyRulesParseAndNameWhatIsWrong() {
        String[] tags = {"speed unit=rpm", "current unit=A", "bearing_temperature unit=Cel"};
        var cls = AssetClassConfiguration.parse(classConfig("motor", tags, new String[0],
                "bearing_temperature from speed^2 current corroborate=f.set.vibration.band_70_110 tolerance=2"));
        assertThat(cls.consistency()).singleElement().satisfies(r -> {
            assertThat(r.tag()).isEqualTo("bearing_temperature");
            assertThat(r.terms()).containsExactly(new ConsistencyRule.Term("speed", 2), new ConsistencyRule.Term("current", 1));
            assertThat(r.corroborate()).containsExactly("f.set.vibration.band_70_110");
            assertThat(r.tolerance()).isEqualTo(2);
            assertThat(ConsistencyRule.parse(r.toString())).isEqualTo(r);
        });
        assertThatThrownBy(() -> AssetClassConfiguration.parse(classConfig("motor", tags, new String[0], "bearing_temperature from flow")))
                .hasMessageContaining("consistency").hasMessageContaining("term 'flow'");
        assertThatThrownBy(() -> AssetClassConfiguration.parse(classConfig("motor", tags, new String[0], "oil from speed")))
                .hasMessageContaining("tag 'oil'");
        assertThatThrownBy(() -> AssetClassConfiguration.parse(classConfig("motor", tags, new String[0], "bearing_temperature from speed^7")))
                .hasMessageContaining("'speed^7'").hasMessageContaining("power");
        assertThatThrownBy(() -> AssetClassConfiguration.parse(classConfig("motor", tags, new String[0],
                "bearing_temperature from speed tolerance=0"))).hasMessageContaining("tolerance=0.0");
        assertThatThrownBy(() -> AssetClassConfiguration.parse(classConfig("motor", tags, new String[0], "bearing_temperature speed")))
                .hasMessageContaining("expected '<tag> from <term>");
    }

    private static ClassSource compressorClass() {
        return source(AssetClassConfiguration.parse(classConfig("compressor", new String[] {
            "speed unit=rpm interval=1s", "speed_setpoint unit=rpm", "bearing_temperature unit=Cel min=-40 max=200 interval=1s",
            "flow unit=m3/h interval=1s"}, new String[] {
                "bearing_temperature_hi HI bearing_temperature limit=90 deadband=3 priority=2 suppressWhen=stopped",
                "flow_lo LO flow limit=100 priority=3 suppressWhen=stopped,tripped"})));
    }

    private static ClassSource source(AssetClass c) {
        return new ClassSource() {
            public String pid() {
                return "io.millwright.asset.class~" + c.name();
            }

            public AssetClass assetClass() {
                return c;
            }

            public String problem() {
                return null;
            }
        };
    }

    private static AssetSource asset(String pid, String id, String cls, String... tags) {
        return new AssetSource(pid, id, "", "demo", "utilities", "air-1", cls, "B", List.of(), List.of(tags), List.of(), "");
    }

    private static AssetClassConfiguration.Config classConfig(String name, String[] tags, String[] alarms, String... consistency) {
        return new AssetClassConfiguration.Config() {
            public Class<? extends Annotation> annotationType() {
                return AssetClassConfiguration.Config.class;
            }

            public String name() {
                return name;
            }

            public String label() {
                return "";
            }

            public String[] tags() {
                return tags;
            }

            public String[] alarms() {
                return alarms;
            }

            public String[] runbooks() {
                return new String[0];
            }

            public String[] consistency() {
                return consistency;
            }

            public String runningTag() {
                return "running";
            }

            public String tripTag() {
                return "";
            }

            public String loadTag() {
                return "";
            }

            public double idleBelow() {
                return 0;
            }

            public String rulTag() {
                return "";
            }

            public String urgencyTag() {
                return "";
            }

            public String lineageTag() {
                return "";
            }
        };
    }
}
