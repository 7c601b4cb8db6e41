package io.millwright.rest.internal;

import io.millwright.kpi.api.Granularity;
import io.millwright.kpi.api.KpiPeriod;
import io.millwright.kpi.api.Kpis;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * {@code /api/v1/assets/{id}/kpis}, {@code /api/v1/lines/{line}/kpis} and {@code /api/v1/kpis}: KPIs per period
 * ({@code period=bucket|hour|shift|day}, {@code from}, {@code to} as ISO-8601 instants; by default the last 24 hours by
 * hour), with the asset's cost model.
 */
final class KpiResources {

    static final int MAX_PERIODS = 2000;

    private KpiResources() {
    }

    static JsonValue asset(Kpis kpis, String asset, HttpServletRequest req) throws Problem {
        Range r = range(req);
        try {
            List<KpiPeriod> periods = kpis.asset(asset, r.granularity, r.fromMs, r.toMs);
            JsonObjectBuilder o = Json.createObjectBuilder().add("asset", asset).add("period", r.granularity.name().toLowerCase(Locale.ROOT))
                    .add("from", Instant.ofEpochMilli(r.fromMs).toString()).add("to", Instant.ofEpochMilli(r.toMs).toString())
                    .add("costModel", JsonValues.of(kpis.costModel(asset).orElse(null))).add("periods", JsonValues.of(periods));
            return o.build();
        } catch (NoSuchElementException e) {
            throw Problem.notFound(e.getMessage());
        }
    }

    static JsonValue line(Kpis kpis, String line, HttpServletRequest req) throws Problem {
        Range r = range(req);
        try {
            return Json.createObjectBuilder().add("line", line).add("period", r.granularity.name().toLowerCase(Locale.ROOT))
                    .add("from", Instant.ofEpochMilli(r.fromMs).toString()).add("to", Instant.ofEpochMilli(r.toMs).toString())
                    .add("periods", JsonValues.of(kpis.line(line, r.granularity, r.fromMs, r.toMs))).build();
        } catch (NoSuchElementException e) {
            throw Problem.notFound(e.getMessage());
        }
    }

    static JsonValue overview(Kpis kpis) {
        return Json.createObjectBuilder().add("assets", JsonValues.of(kpis.assets()))
                .add("costModels", JsonValues.of(kpis.assets().stream().map(a -> kpis.costModel(a).orElse(null)).filter(c -> c != null).toList()))
                .add("problems", JsonValues.of(kpis.problems())).build();
    }

    private record Range(Granularity granularity, long fromMs, long toMs) {
    }

    private static Range range(HttpServletRequest req) throws Problem {
        String p = req.getParameter("period") == null ? "hour" : req.getParameter("period").trim().toLowerCase(Locale.ROOT);
        Granularity g;
        try {
            g = Granularity.valueOf(p.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badField("period", "'" + p + "' — expected bucket, hour, shift or day");
        }
        long to = instant(req, "to", System.currentTimeMillis());
        long from = instant(req, "from", to - Duration.ofHours(24).toMillis());
        if (from >= to) {
            throw Problem.badField("from", "'" + Instant.ofEpochMilli(from) + "' must be before to '" + Instant.ofEpochMilli(to) + "'");
        }
        long minutes = switch (g) {
            case BUCKET -> 1;
            case HOUR -> 60;
            case SHIFT -> 240;
            case DAY -> 1440;
        };
        if ((to - from) / 60_000 / minutes > MAX_PERIODS) {
            throw Problem.badField("from", "the range holds more than " + MAX_PERIODS + " " + p + " periods: narrow it or take a longer period");
        }
        return new Range(g, from, to);
    }

    private static long instant(HttpServletRequest req, String name, long otherwise) throws Problem {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(v.trim()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Problem.badField(name, "'" + v + "' — expected an ISO-8601 instant, e.g. 2026-11-30T06:00:00Z");
        }
    }
}
