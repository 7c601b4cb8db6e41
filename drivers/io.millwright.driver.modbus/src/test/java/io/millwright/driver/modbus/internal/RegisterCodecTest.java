package io.millwright.driver.modbus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.driver.modbus.internal.RegisterCodec.Order;
import org.junit.jupiter.api.Test;

class RegisterCodecTest {

    // 123.456f = 0x42F6E979; bytes A=42 B=F6 C=E9 D=79
    @Test
    void float32InAllFourOrders() {
        assertThat(RegisterCodec.decode(new int[] {0x42F6, 0xE979}, 0, ModbusType.FLOAT32, Order.ABCD)).isEqualTo(123.456f);
        assertThat(RegisterCodec.decode(new int[] {0xE979, 0x42F6}, 0, ModbusType.FLOAT32, Order.CDAB)).isEqualTo(123.456f);
        assertThat(RegisterCodec.decode(new int[] {0xF642, 0x79E9}, 0, ModbusType.FLOAT32, Order.BADC)).isEqualTo(123.456f);
        assertThat(RegisterCodec.decode(new int[] {0x79E9, 0xF642}, 0, ModbusType.FLOAT32, Order.DCBA)).isEqualTo(123.456f);
    }

    @Test
    void signedAndUnsignedIntegers() {
        assertThat(RegisterCodec.decode(new int[] {0xFFFE}, 0, ModbusType.INT16, Order.ABCD)).isEqualTo(-2);
        assertThat(RegisterCodec.decode(new int[] {0xFFFE}, 0, ModbusType.UINT16, Order.ABCD)).isEqualTo(65534);
        assertThat(RegisterCodec.decode(new int[] {0xFEFF}, 0, ModbusType.INT16, Order.BADC)).isEqualTo(-2);
        assertThat(RegisterCodec.decode(new int[] {0xFFFF, 0xFFFE}, 0, ModbusType.INT32, Order.ABCD)).isEqualTo(-2);
        assertThat(RegisterCodec.decode(new int[] {0xFFFF, 0xFFFE}, 0, ModbusType.UINT32, Order.ABCD)).isEqualTo(4294967294.0);
        assertThat(RegisterCodec.decode(new int[] {0x0001, 0x0000}, 0, ModbusType.UINT32, Order.CDAB)).isEqualTo(1);
        assertThat(RegisterCodec.decodeLong(new int[] {0x0102, 0x0304, 0x0506, 0x0708}, 0, ModbusType.INT64, Order.ABCD))
                .isEqualTo(0x0102030405060708L);
        assertThat(RegisterCodec.decodeLong(new int[] {0x0708, 0x0506, 0x0304, 0x0102}, 0, ModbusType.INT64, Order.CDAB))
                .isEqualTo(0x0102030405060708L);
    }

    @Test
    void float64AndOffsetsIntoABlock() {
        // 1.5 = 0x3FF8000000000000, preceded by one unrelated register
        assertThat(RegisterCodec.decode(new int[] {0x1234, 0x3FF8, 0, 0, 0}, 1, ModbusType.FLOAT64, Order.ABCD)).isEqualTo(1.5);
        assertThat(RegisterCodec.decode(new int[] {0, 0, 0, 0xF83F}, 0, ModbusType.FLOAT64, Order.DCBA)).isEqualTo(1.5);
    }

    @Test
    void encodeIsTheInverseOfDecode() {
        for (Order o : Order.values()) {
            for (ModbusType t : new ModbusType[] {ModbusType.INT16, ModbusType.UINT16, ModbusType.INT32, ModbusType.UINT32,
                    ModbusType.FLOAT32, ModbusType.INT64, ModbusType.FLOAT64}) {
                double v = t == ModbusType.FLOAT32 ? 123.456f : t == ModbusType.FLOAT64 ? -98765.4321 : t.name().startsWith("U") ? 40000 : -1234;
                if (t == ModbusType.UINT16 || t == ModbusType.INT16) {
                    v = t == ModbusType.UINT16 ? 40000 : -1234;
                }
                assertThat(RegisterCodec.decode(RegisterCodec.encode(v, t, o), 0, t, o)).as(t + " " + o).isEqualTo(v);
            }
        }
        assertThat(RegisterCodec.encode(123.456f, ModbusType.FLOAT32, Order.CDAB)).containsExactly(0xE979, 0x42F6);
    }

    @Test
    void valuesThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> RegisterCodec.encode(70000, ModbusType.UINT16, Order.ABCD)).hasMessage("70000.0 does not fit UINT16");
        assertThatThrownBy(() -> RegisterCodec.encode(-1, ModbusType.UINT32, Order.ABCD)).hasMessageContaining("UINT32");
        assertThatThrownBy(() -> RegisterCodec.encode(Double.NaN, ModbusType.INT16, Order.ABCD)).hasMessageContaining("NaN");
    }
}
