package io.millwright.driver.modbus.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The requests one poll makes: neighbouring channels of a table are coalesced into one read, as long
 * as it stays within the protocol's limit per request and the hole between two channels is at most
 * {@code maxGap} items (reading a few unused registers beats another round trip). Built once per
 * configuration.
 */
final class ReadPlan {

    /** One read request and the channels it serves. */
    record Request(ModbusTable table, int start, int count, List<ModbusChannel> channels) {
    }

    private final List<Request> requests;

    ReadPlan(List<ModbusChannel> channels, int maxGap) {
        List<ModbusChannel> sorted = new ArrayList<>(channels);
        sorted.sort(Comparator.comparing(ModbusChannel::table).thenComparingInt(ModbusChannel::address));
        List<Request> out = new ArrayList<>();
        List<ModbusChannel> group = new ArrayList<>();
        for (ModbusChannel c : sorted) {
            if (!group.isEmpty()) {
                ModbusChannel first = group.get(0);
                ModbusChannel last = group.get(group.size() - 1);
                boolean sameTable = first.table() == c.table();
                boolean fits = c.end() - first.address() <= c.table().maxPerRead;
                boolean near = c.address() - last.end() <= maxGap;
                if (!(sameTable && fits && near)) {
                    out.add(request(group));
                    group = new ArrayList<>();
                }
            }
            group.add(c);
        }
        if (!group.isEmpty()) {
            out.add(request(group));
        }
        requests = List.copyOf(out);
    }

    private static Request request(List<ModbusChannel> group) {
        ModbusChannel first = group.get(0);
        int end = group.stream().mapToInt(ModbusChannel::end).max().orElseThrow();
        return new Request(first.table(), first.address(), end - first.address(), List.copyOf(group));
    }

    List<Request> requests() {
        return requests;
    }
}
