package io.millwright.alarm.api;

import java.util.List;
import java.util.Map;

/**
 * Alarm-management figures over a period, as ISA-18.2 / EEMUA 191 benchmark them (targets in brackets): annunciated
 * alarms per operator per 10 minutes (≈ 1, at most 2), the share of 10-minute periods in flood (more than 10 alarms;
 * < 1 %), standing alarms (active now; < 5), stale alarms (active for more than 24 h; 0), chattering alarms (0), the top
 * bad actors (the 10 most frequent alarms; < 1–5 % of all), and the priority distribution (≈ 80 % low, 15 % high, 5 %
 * urgent).
 *
 * @param fromMs start, epoch milliseconds
 * @param toMs end, epoch milliseconds
 * @param operators the operators counted
 * @param activations alarms annunciated in the period (activations and escalations, not counting shelved, suppressed or
 *     out-of-service ones)
 * @param perOperatorPer10Minutes average activations per operator per 10 minutes
 * @param peakPer10Minutes the most activations in one 10-minute period
 * @param floodPeriods 10-minute periods with more than 10 activations
 * @param floodShare share of the period's 10-minute periods in flood, 0-1
 * @param standing alarms annunciated and active at the end
 * @param stale alarms active at the end for more than 24 hours
 * @param chattering alarms flagged chattering in the period
 * @param topBadActors the most frequent alarms, most first, with their count and share of all activations
 * @param byPriority activations per priority (1-4)
 */
public record AlarmKpis(long fromMs, long toMs, int operators, long activations, double perOperatorPer10Minutes,
        long peakPer10Minutes, long floodPeriods, double floodShare, long standing, long stale, long chattering,
        List<BadActor> topBadActors, Map<Integer, Long> byPriority) {

    /** Copies the collections. */
    public AlarmKpis {
        topBadActors = List.copyOf(topBadActors);
        byPriority = Map.copyOf(byPriority);
    }

    /**
     * @param alarmId {@code asset/name}
     * @param activations how often it was annunciated
     * @param share its share of all activations, 0-1
     */
    public record BadActor(String alarmId, long activations, double share) {
    }
}
