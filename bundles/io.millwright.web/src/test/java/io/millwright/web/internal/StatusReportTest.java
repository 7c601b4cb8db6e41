package io.millwright.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceState;
import io.millwright.driver.api.DeviceStatus;
import io.millwright.driver.api.WriteResult;
import io.millwright.journal.api.JournalStatistics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Latest values are served as stale once their device stops delivering: OFFLINE, STOPPED, CONFIG_ERROR, or gone. */
class StatusReportTest {

    private static final ChannelId SPEED = ChannelId.parse("pump-1/speed");
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    /** A device as the report sees it: an id, a state, its declared channels. */
    private record Plc(DeviceStatus status) implements Device {
        @Override public String id() { return "plc1"; }
        @Override public String driver() { return "modbus"; }
        @Override public List<ChannelDescriptor> channels() { return List.of(new ChannelDescriptor(SPEED, ValueType.DOUBLE, "rpm", 0, 3000, false)); }
        @Override public CompletionStage<WriteResult> write(ChannelId channel, Value value) { return CompletableFuture.completedFuture(WriteResult.refused("no")); }
    }

    private static String render(List<Device> devices, Set<ChannelId> deviceChannels) {
        JournalStatistics js = new JournalStatistics("/j", 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), "");
        Map<ChannelId, Sample> latest = Map.of(SPEED, Sample.of(SPEED, 1_795_000_000_000_000L, Value.of(1480.0), Quality.GOOD));
        return StatusReport.render(NOW, NOW.minusSeconds(60), devices, latest, js, null, List.of(), deviceChannels);
    }

    @Test
    void aValueOfAnOnlineDeviceIsCurrentAndOfAnOfflineOneStaleWithTheReason() {
        Set<ChannelId> seen = ConcurrentHashMap.newKeySet();
        assertThat(render(List.of(new Plc(DeviceStatus.of(DeviceState.ONLINE, NOW))), seen)).doesNotContain("\"stale\"");
        String offline = render(List.of(new Plc(new DeviceStatus(DeviceState.OFFLINE, "connect-failed", "cannot connect to 10.0.0.7:502", NOW))), seen);
        assertThat(offline).contains("\"stale\":true").contains("device plc1 is OFFLINE since 2026-11-30T10:00:00Z (cannot connect to 10.0.0.7:502)")
                .contains("\"quality\":\"GOOD\"");
        assertThat(render(List.of(), seen)).as("the device gone").contains("\"stale\":true").contains("no device serves pump-1/speed any more");
        assertThat(render(List.of(), ConcurrentHashMap.newKeySet())).as("never served by a device (a derived channel)").doesNotContain("\"stale\"");
    }
}
