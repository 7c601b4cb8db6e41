package io.millwright.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that need no framework: the clock and the data folder's disk. */
class HealthChecksTest {

    @Test
    void theClockWarnsForAnHourAfterItStepsAndIsCriticalWhenNotSet() {
        AtomicReference<Instant> wall = new AtomicReference<>(Instant.parse("2026-11-30T08:00:00Z"));
        AtomicLong mono = new AtomicLong(0);
        ClockHealthCheck clock = new ClockHealthCheck(wall::get, mono::get);
        assertThat(clock.execute().getStatus()).isEqualTo(Result.Status.OK);
        // 10 s pass on both clocks: fine
        wall.set(wall.get().plusSeconds(10));
        mono.addAndGet(10_000_000_000L);
        assertThat(clock.execute().getStatus()).isEqualTo(Result.Status.OK);
        // the wall clock jumps 90 s ahead in one second
        wall.set(wall.get().plusSeconds(91));
        mono.addAndGet(1_000_000_000L);
        Result stepped = clock.execute();
        assertThat(stepped.getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(stepped.toString()).contains("stepped by +90.0 s");
        // an hour and a bit later the step is history
        wall.set(wall.get().plusSeconds(3700));
        mono.addAndGet(3_700_000_000_000L);
        assertThat(clock.execute().getStatus()).isEqualTo(Result.Status.OK);
        // a clock that was never set
        ClockHealthCheck unset = new ClockHealthCheck(() -> Instant.parse("1970-01-01T00:05:00Z"), mono::get);
        Result r = unset.execute();
        assertThat(r.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(r.toString()).contains("the clock is not set");
    }

    @Test
    void theDataFoldersDiskIsReportedWithItsFreeShare(@TempDir java.nio.file.Path data) {
        Result r = new DiskSpaceHealthCheck(data).execute();
        assertThat(r.toString()).contains(data.toString()).contains("free of");
        Result missing = new DiskSpaceHealthCheck(data.resolve("no/such/folder")).execute();
        assertThat(missing.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(missing.toString()).contains("cannot be examined");
    }
}
