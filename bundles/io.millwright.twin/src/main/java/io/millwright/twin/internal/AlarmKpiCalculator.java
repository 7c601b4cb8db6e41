package io.millwright.twin.internal;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmKpis;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.AlarmTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The alarm-management figures of {@link AlarmKpis} from the event log (newest first, read until the period's start)
 * and the alarms as they stand: an annunciated alarm is an ACTIVATED or ESCALATED event whose new state is
 * unacknowledged (a shelved, suppressed or out-of-service alarm does not reach an operator).
 */
final class AlarmKpiCalculator {

    static final long TEN_MINUTES = 600_000;
    static final int FLOOD = 10;
    static final long STALE_MS = 24 * 3_600_000L;

    private AlarmKpiCalculator() {
    }

    static AlarmKpis compute(Consumer<Predicate<AlarmEvent>> backwards, List<Alarm> now, long fromMs, long toMs, int operators, long nowMs) {
        Map<Long, Long> perPeriod = new HashMap<>();
        Map<String, Long> perAlarm = new HashMap<>();
        Map<Integer, Long> byPriority = new TreeMap<>(Map.of(1, 0L, 2, 0L, 3, 0L, 4, 0L));
        Set<String> chattering = new HashSet<>();
        long[] total = {0};
        backwards.accept(e -> {
            if (e.timeMs() < fromMs) {
                return false;
            }
            if (e.timeMs() >= toMs) {
                return true;
            }
            if (e.transition() == AlarmTransition.CHATTERING && e.cause().startsWith("activated")) {
                chattering.add(e.alarmId());
            }
            boolean annunciated = (e.transition() == AlarmTransition.ACTIVATED || e.transition() == AlarmTransition.ESCALATED)
                    && e.to() == AlarmState.UNACKNOWLEDGED;
            if (annunciated) {
                total[0]++;
                perPeriod.merge((e.timeMs() - fromMs) / TEN_MINUTES, 1L, Long::sum);
                perAlarm.merge(e.alarmId(), 1L, Long::sum);
                byPriority.merge(e.priority(), 1L, Long::sum);
            }
            return true;
        });
        long periods = Math.max(1, (toMs - fromMs + TEN_MINUTES - 1) / TEN_MINUTES);
        long peak = perPeriod.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long floods = perPeriod.values().stream().filter(n -> n > FLOOD).count();
        long standing = now.stream().filter(a -> a.active() && a.state().isAnnunciated()).count();
        long stale = now.stream().filter(a -> a.active() && a.activeSinceMs() > 0 && nowMs - a.activeSinceMs() > STALE_MS).count();
        now.stream().filter(Alarm::chattering).forEach(a -> chattering.add(a.id()));
        List<AlarmKpis.BadActor> top = new ArrayList<>();
        perAlarm.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> top.add(new AlarmKpis.BadActor(e.getKey(), e.getValue(), (double) e.getValue() / total[0])));
        return new AlarmKpis(fromMs, toMs, operators, total[0], (double) total[0] / periods / operators, peak, floods, (double) floods / periods,
                standing, stale, chattering.size(), top, byPriority);
    }
}
