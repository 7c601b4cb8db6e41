package io.millwright.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.api.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModbusChannelTest {

    @Test
    void parsesAFullySpecifiedChannel() {
        ModbusChannel c = ModbusChannel.parse("pump-7/discharge_pressure holding:100 float32 order=CDAB scale=0.1 offset=-1 unit=bar min=0 max=40 writable");
        assertThat(c.table()).isEqualTo(ModbusTable.HOLDING);
        assertThat(c.address()).isEqualTo(100);
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.order()).isEqualTo(RegisterCodec.Order.CDAB);
        assertThat(c.scale()).isEqualTo(0.1);
        assertThat(c.writable()).isTrue();
        assertThat(c.descriptor().type()).isEqualTo(ValueType.DOUBLE);
        assertThat(ModbusChannel.parse("pump-7/starts input:7 uint32").descriptor().type()).isEqualTo(ValueType.LONG);
        assertThat(ModbusChannel.parse("pump-7/running coil:3 bool writable").descriptor().type()).isEqualTo(ValueType.BOOLEAN);
    }

    @Test
    void scaledIntegerRegistersRoundTripAtTheirResolution() {
        ModbusChannel tenths = ModbusChannel.parse("p/t holding:1 uint16 scale=0.1");
        assertThat(Double.toString(tenths.engineering(453))).as("453 x 0.1").isEqualTo("45.3");
        for (int raw = 0; raw <= 65535; raw++) {
            assertThat(Double.toString(tenths.engineering(raw))).isEqualTo(new java.math.BigDecimal(raw).movePointLeft(1).stripTrailingZeros()
                    .toPlainString().replaceAll("^(-?\\d+)$", "$1.0"));
        }
        ModbusChannel offset = ModbusChannel.parse("p/t holding:1 int16 scale=0.01 offset=-40.5");
        assertThat(offset.engineering(7)).isEqualTo(-40.43);
        assertThat(offset.engineering(-32768)).isEqualTo(-368.18);
        ModbusChannel whole = ModbusChannel.parse("p/t holding:1 int32 scale=3");
        assertThat(whole.engineering(2_000_000_000)).isEqualTo(6_000_000_000.0);
        ModbusChannel real = ModbusChannel.parse("p/t holding:1 float32 scale=0.1");
        assertThat(real.engineering(453)).as("a float register keeps its own precision").isEqualTo(453 * 0.1);
    }

    @Test
    void badChannelsNameTheChannelAndTheSetting() {
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holding:x int16")).hasMessage("channel 'p/t holding:x int16': address 'x' is not a number");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holdings:1 int16")).hasMessageContaining("unknown table 'holdings'");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holding:1 int24")).hasMessageContaining("unknown type 'int24'");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t coil:1 int16")).hasMessageContaining("type must be bool");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t input:1 int16 writable")).hasMessageContaining("a input cannot be written");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holding:65535 float32")).hasMessageContaining("outside 0..65535");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holding:1 float32 order=XYZW")).hasMessageContaining("unknown order 'XYZW'");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holding:1 float32 colour=red")).hasMessageContaining("unknown option 'colour'");
        assertThatThrownBy(() -> ModbusChannel.parse("p/t holding:1 int16 scale=0")).hasMessageContaining("scale");
    }

    @Test
    void overlappingAndDuplicateChannelsAreRefused() {
        assertThatThrownBy(() -> ModbusChannel.parseAll(new String[] {"p/a holding:10 float32", "p/b holding:11 int16"}))
                .hasMessage("channels p/a and p/b overlap at holding:11");
        assertThatThrownBy(() -> ModbusChannel.parseAll(new String[] {"p/a holding:10 int16", "p/a holding:20 int16"}))
                .hasMessageContaining("configured twice");
        assertThat(ModbusChannel.parseAll(new String[] {"p/a holding:10 float32", "p/b input:11 int16", "p/c holding:12 int16"})).hasSize(3);
        assertThatThrownBy(() -> ModbusChannel.parseAll(new String[0])).hasMessage("no channels configured");
    }

    @Test
    void thePlanCoalescesNeighboursWithinLimitsAndGaps() {
        List<ModbusChannel> channels = ModbusChannel.parseAll(new String[] {
            "m/a holding:0 float32", "m/b holding:2 int16", "m/c holding:6 int16", // gap 3 <= 8: one request 0..7
            "m/d holding:40 int16", // gap 33: new request
            "m/e holding:160 int16", "m/f holding:284 int16", // 160..284 is 125 items: fits exactly
            "m/g holding:285 int16", // would make 126: new request
            "m/h coil:0 bool", "m/i coil:1999 bool", "m/j input:0 uint16"});
        List<ReadPlan.Request> r = new ReadPlan(channels, 8).requests();
        assertThat(r).extracting(q -> q.table() + ":" + q.start() + "+" + q.count()).containsExactly(
                "COIL:0+1", "COIL:1999+1", "INPUT:0+1", "HOLDING:0+7", "HOLDING:40+1", "HOLDING:160+1", "HOLDING:284+2");
        List<ReadPlan.Request> wide = new ReadPlan(channels, 2000).requests();
        assertThat(wide).as("holes are read through, but never beyond 125 registers or 2000 bits per request")
                .extracting(q -> q.table() + ":" + q.start() + "+" + q.count()).containsExactly(
                "COIL:0+2000", "INPUT:0+1", "HOLDING:0+41", "HOLDING:160+125", "HOLDING:285+1");
    }
}
