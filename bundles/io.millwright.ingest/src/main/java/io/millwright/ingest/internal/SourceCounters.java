package io.millwright.ingest.internal;

import io.millwright.ingest.api.IngestStatistics.Counts;
import java.util.concurrent.atomic.LongAdder;

/** Ingest counters of one source; safe to update from several lanes. */
final class SourceCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder bad = new LongAdder();
    final LongAdder uncertain = new LongAdder();
    final LongAdder overruns = new LongAdder();
    final LongAdder overrunSamples = new LongAdder();
    volatile String lastRejection = "";

    Counts snapshot() {
        return new Counts(accepted.sum(), rejected.sum(), bad.sum(), uncertain.sum(), overruns.sum(), overrunSamples.sum(),
                lastRejection);
    }

    static Counts sum(Iterable<Counts> all) {
        long a = 0;
        long r = 0;
        long b = 0;
        long u = 0;
        long o = 0;
        long os = 0;
        String last = "";
        for (Counts c : all) {
            a += c.accepted();
            r += c.rejected();
            b += c.bad();
            u += c.uncertain();
            o += c.overruns();
            os += c.overrunSamples();
            if (!c.lastRejection().isEmpty()) {
                last = c.lastRejection();
            }
        }
        return new Counts(a, r, b, u, o, os, last);
    }
}
