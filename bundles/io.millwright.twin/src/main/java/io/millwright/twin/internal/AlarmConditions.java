package io.millwright.twin.internal;

import io.millwright.alarm.api.AlarmDefinition;
import io.millwright.alarm.api.AlarmKind;
import java.util.Locale;

/**
 * An alarm's condition: from one sample (or the clock, for stale data) to the raw condition, then through the on- and
 * off-delays to the lifecycle. Hysteresis: an active limit condition stays active until the value is past the limit by
 * the deadband. Delays run on the samples' source time, so they mean the same after a restart; a change of priority
 * while active (escalation) is not delayed. A BAD sample does not move a value condition (only a BAD_QUALITY alarm
 * looks at quality). Allocates nothing unless the alarm changes.
 */
public final class AlarmConditions {

    private AlarmConditions() {
    }

    /**
     * One sample of the watched tag.
     *
     * @param d the definition
     * @param r the alarm's record
     * @param timeMs the sample's source time
     * @param number its value in the canonical unit (NaN for text)
     * @param text its text (states), or null
     * @param bad whether its quality is BAD
     * @param setpoint the setpoint tag's latest value (DEVIATION), else NaN
     * @param unit the tag's canonical unit, for messages
     * @return what changed, or null
     */
    public static AlarmLifecycle.Change onSample(AlarmDefinition d, AlarmRecord r, long timeMs, double number, String text, boolean bad,
            double setpoint, String unit) {
        boolean raw;
        int priority = d.priority();
        double lim = d.limit();
        double db = d.deadband();
        switch (d.kind()) {
            case HI, HIHI -> {
                if (bad || Double.isNaN(number)) {
                    return null;
                }
                raw = r.rawActive ? number > lim - db : number > lim;
            }
            case LO, LOLO -> {
                if (bad || Double.isNaN(number)) {
                    return null;
                }
                raw = r.rawActive ? number < lim + db : number < lim;
            }
            case RATE -> {
                if (bad || Double.isNaN(number)) {
                    return null;
                }
                double last = r.lastNumber;
                long lastT = r.lastSampleMs;
                r.lastNumber = number;
                r.lastSampleMs = timeMs;
                if (Double.isNaN(last) || timeMs <= lastT) {
                    return null;
                }
                double rate = Math.abs(number - last) * 1000.0 / (timeMs - lastT);
                raw = r.rawActive ? rate > lim - db : rate > lim;
                number = rate;
            }
            case DEVIATION -> {
                if (bad || Double.isNaN(number) || Double.isNaN(setpoint)) {
                    return null;
                }
                double dev = Math.abs(number - setpoint);
                raw = r.rawActive ? dev > lim - db : dev > lim;
            }
            case BAD_QUALITY -> raw = bad;
            case STATE -> {
                priority = d.priorityOf(text);
                raw = priority > 0;
                if (!raw) {
                    priority = r.priority;
                }
            }
            case STALE -> {
                r.lastSampleMs = timeMs;
                raw = false;
                return settle(d, r, timeMs, false, r.priority, number, text, unit);
            }
            default -> throw new IllegalStateException("unknown kind " + d.kind());
        }
        return settle(d, r, timeMs, raw, priority, number, text, unit);
    }

    /**
     * The clock: a STALE alarm looks at how long the tag has been silent.
     *
     * @param d the definition
     * @param r the record
     * @param referenceMs now, as far as the journal's progress shows it
     * @param lastArrivalMs when the tag's last sample arrived (or the engine started, if later)
     * @param expectedIntervalMs the tag's expected interval
     * @return what changed, or null
     */
    public static AlarmLifecycle.Change onClock(AlarmDefinition d, AlarmRecord r, long referenceMs, long lastArrivalMs, long expectedIntervalMs) {
        if (d.kind() != AlarmKind.STALE || expectedIntervalMs <= 0 || lastArrivalMs <= 0) {
            return null;
        }
        long silentMs = referenceMs - lastArrivalMs;
        boolean raw = silentMs > d.limit() * expectedIntervalMs;
        if (raw == r.active) {
            return null;
        }
        r.rawActive = raw;
        r.pendingSinceMs = AlarmRecord.NOT_PENDING;
        String msg = raw ? d.tag() + ": no sample for " + seconds(silentMs) + " (expected every " + seconds(expectedIntervalMs) + ", limit "
                + fmt(d.limit()) + "×)" : d.tag() + ": samples again";
        return raw ? AlarmLifecycle.activate(r, referenceMs, d.priority(), seconds(silentMs), msg)
                : AlarmLifecycle.clear(r, referenceMs, d.latching(), "", msg);
    }

    private static AlarmLifecycle.Change settle(AlarmDefinition d, AlarmRecord r, long t, boolean raw, int priority, double number, String text,
            String unit) {
        if (raw && r.active) {
            r.rawActive = true;
            r.pendingSinceMs = AlarmRecord.NOT_PENDING;
            if (priority == r.priority) {
                return null;
            }
            return AlarmLifecycle.activate(r, t, priority, value(number, text, unit), message(d, true, number, text, unit));
        }
        if (raw == r.active) {
            r.rawActive = raw;
            r.pendingSinceMs = AlarmRecord.NOT_PENDING;
            return null;
        }
        if (raw != r.rawActive || r.pendingSinceMs == AlarmRecord.NOT_PENDING) {
            r.rawActive = raw;
            r.pendingSinceMs = t;
            r.rawPriority = priority;
        }
        long delay = raw ? d.onDelayMs() : d.offDelayMs();
        if (t - r.pendingSinceMs < delay) {
            return null;
        }
        long heldMs = t - r.pendingSinceMs;
        r.pendingSinceMs = AlarmRecord.NOT_PENDING;
        String msg = message(d, raw, number, text, unit) + (delay > 0 ? " for " + seconds(heldMs) : "");
        return raw ? AlarmLifecycle.activate(r, t, priority, value(number, text, unit), msg)
                : AlarmLifecycle.clear(r, t, d.latching(), value(number, text, unit), msg);
    }

    private static String value(double number, String text, String unit) {
        if (!Double.isNaN(number)) {
            return unit.isEmpty() ? fmt(number) : fmt(number) + " " + unit;
        }
        return text == null ? "" : text;
    }

    /** @return the condition in words, e.g. {@code bearing_temperature 91.3 Cel > 85 (HI)} */
    static String message(AlarmDefinition d, boolean active, double number, String text, String unit) {
        String u = unit.isEmpty() ? "" : " " + unit;
        String v = fmt(number) + u;
        double lim = d.limit();
        double db = d.deadband();
        return switch (d.kind()) {
            case HI, HIHI -> active ? d.tag() + " " + v + " > " + fmt(lim) + u + " (" + d.kind() + ")"
                    : d.tag() + " " + v + " back to ≤ " + fmt(lim - db) + u + " (" + d.kind() + fmt(lim) + (db > 0 ? " − deadband " + fmt(db) : "") + ")";
            case LO, LOLO -> active ? d.tag() + " " + v + " < " + fmt(lim) + u + " (" + d.kind() + ")"
                    : d.tag() + " " + v + " back to ≥ " + fmt(lim + db) + u + " (" + d.kind() + fmt(lim) + (db > 0 ? " + deadband " + fmt(db) : "") + ")";
            case RATE -> d.tag() + " changes " + v + "/s " + (active ? "> " : "≤ ") + fmt(active ? lim : lim - db) + u + "/s";
            case DEVIATION -> d.tag() + " " + v + (active ? " deviates more than " : " within ") + fmt(active ? lim : lim - db) + u + " of "
                    + d.setpointTag();
            case BAD_QUALITY -> d.tag() + (active ? " has BAD quality" : " is good again");
            case STATE -> d.tag() + " is " + (text == null || text.isEmpty() ? "(empty)" : text);
            case STALE -> d.tag() + (active ? " is stale" : " samples again");
        };
    }

    /** @return a number with up to 4 significant digits, without exponent for plant-sized values */
    public static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        double a = Math.abs(v);
        int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : fmt(ms / 1000.0) + " s";
    }
}
