package io.millwright.kpi.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plant's calendar: its time zone, the reader's bucket length and the shifts. A shift runs from its start until the
 * next shift's start (the last one into the next day); shift starts must fall on bucket boundaries.
 */
final class Calendar {

    /** A shift: its name and its start, minutes after midnight. */
    record Shift(String name, int startMinute) {
    }

    final ZoneId zone;
    final int bucketMinutes;
    final List<Shift> shifts;

    Calendar(ZoneId zone, int bucketMinutes, List<Shift> shifts) {
        if (bucketMinutes < 1 || 60 % bucketMinutes != 0) {
            throw new IllegalArgumentException("bucketMinutes " + bucketMinutes + " must divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)");
        }
        this.zone = zone;
        this.bucketMinutes = bucketMinutes;
        List<Shift> sorted = new ArrayList<>(shifts);
        sorted.sort(Comparator.comparingInt(Shift::startMinute));
        for (Shift s : sorted) {
            if (s.startMinute() % bucketMinutes != 0) {
                throw new IllegalArgumentException("shift '" + s.name() + "' starts at minute " + s.startMinute()
                        + ", not on a bucket boundary of " + bucketMinutes + " min");
            }
        }
        this.shifts = List.copyOf(sorted);
    }

    /**
     * @param texts shift lines {@code name HH:MM}
     * @return the shifts
     * @throws IllegalArgumentException naming the bad line
     */
    static List<Shift> parseShifts(String[] texts) {
        List<Shift> out = new ArrayList<>();
        for (String t : texts) {
            String[] parts = t == null ? new String[0] : t.trim().split("\\s+");
            if (parts.length != 2 || !parts[1].matches("\\d{1,2}:\\d{2}")) {
                throw new IllegalArgumentException("shift '" + t + "': expected 'name HH:MM', e.g. 'early 06:00'");
            }
            LocalTime start = LocalTime.parse(parts[1].length() == 4 ? "0" + parts[1] : parts[1]);
            out.add(new Shift(parts[0], start.getHour() * 60 + start.getMinute()));
        }
        return out;
    }

    /** @return the bucket length, ms */
    long bucketMs() {
        return bucketMinutes * 60_000L;
    }

    /** @return the start of the bucket holding this instant (buckets divide hours, so every zone's hours align with them) */
    long bucketStart(long ms) {
        long b = bucketMs();
        // zone offsets are whole quarter hours at least; buckets of up to 15 min align in UTC, longer ones in the zone
        long offset = zone.getRules().getOffset(Instant.ofEpochMilli(ms)).getTotalSeconds() * 1000L;
        return Math.floorDiv(ms + offset, b) * b - offset;
    }

    /** A period: its label and bounds. */
    record Period(String label, long startMs, long endMs) {
    }

    /**
     * @param granularity the kind of period
     * @param fromMs from
     * @param toMs to
     * @return the periods overlapping [from, to), oldest first
     */
    List<Period> periods(io.millwright.kpi.api.Granularity granularity, long fromMs, long toMs) {
        List<Period> out = new ArrayList<>();
        switch (granularity) {
            case BUCKET -> {
                for (long s = bucketStart(fromMs); s < toMs; s += bucketMs()) {
                    out.add(new Period(Instant.ofEpochMilli(s).toString(), s, s + bucketMs()));
                }
            }
            case HOUR -> {
                ZonedDateTime h = Instant.ofEpochMilli(fromMs).atZone(zone).truncatedTo(ChronoUnit.HOURS);
                while (h.toInstant().toEpochMilli() < toMs) {
                    ZonedDateTime next = h.plusHours(1);
                    out.add(new Period(h.toLocalDateTime().toString(), h.toInstant().toEpochMilli(), next.toInstant().toEpochMilli()));
                    h = next;
                }
            }
            case DAY -> {
                LocalDate d = Instant.ofEpochMilli(fromMs).atZone(zone).toLocalDate();
                while (d.atStartOfDay(zone).toInstant().toEpochMilli() < toMs) {
                    out.add(new Period(d.toString(), d.atStartOfDay(zone).toInstant().toEpochMilli(),
                            d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli()));
                    d = d.plusDays(1);
                }
            }
            case SHIFT -> {
                if (shifts.isEmpty()) {
                    return periods(io.millwright.kpi.api.Granularity.DAY, fromMs, toMs);
                }
                LocalDate d = Instant.ofEpochMilli(fromMs).atZone(zone).toLocalDate().minusDays(1);
                while (true) {
                    boolean past = false;
                    for (int i = 0; i < shifts.size(); i++) {
                        Shift s = shifts.get(i);
                        long start = d.atStartOfDay(zone).plusMinutes(s.startMinute()).toInstant().toEpochMilli();
                        long end = i + 1 < shifts.size() ? d.atStartOfDay(zone).plusMinutes(shifts.get(i + 1).startMinute()).toInstant().toEpochMilli()
                                : d.plusDays(1).atStartOfDay(zone).plusMinutes(shifts.get(0).startMinute()).toInstant().toEpochMilli();
                        if (start >= toMs) {
                            past = true;
                            break;
                        }
                        if (end > fromMs) {
                            out.add(new Period(d + " " + s.name(), start, end));
                        }
                    }
                    if (past) {
                        break;
                    }
                    d = d.plusDays(1);
                }
            }
            default -> throw new IllegalArgumentException(String.valueOf(granularity));
        }
        return out;
    }
}
