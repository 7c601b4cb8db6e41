package io.millwright.driver.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeviceLaneTest {

    @Test
    void aThrowingPeriodicTaskKeepsRunningAndReportsEachFailure() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        DeviceLane lane = new DeviceLane("test", "d1", failures::add);
        CountDownLatch five = new CountDownLatch(5);
        lane.everyAfter(5, () -> {
            five.countDown();
            throw new IllegalStateException("peer said no");
        });
        assertThat(five.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lane.stop(null, 100)).isTrue();
        assertThat(failures).hasSizeGreaterThanOrEqualTo(4).allMatch(t -> t.getMessage().equals("peer said no"));
    }

    @Test
    void theThreadIsNamedAfterDriverAndDevice() throws Exception {
        DeviceLane lane = new DeviceLane("modbus", "press-7", e -> { });
        String name = lane.submit(() -> Thread.currentThread().getName(), Throwable::toString).toCompletableFuture().get();
        assertThat(name).isEqualTo("modbus-io-press-7").isEqualTo(lane.name());
        lane.stop(null, 100);
    }

    @Test
    void stopInterruptsAHangingTaskAndLaterSubmissionsAreAnsweredNotLost() throws Exception {
        DeviceLane lane = new DeviceLane("test", "hang", e -> { });
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        lane.later(0, () -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lane.stop(() -> { }, 50)).isTrue();
        assertThat(interrupted.get()).isEqualTo(1);
        String answer = lane.submit(() -> "ran", e -> "refused: " + e.getClass().getSimpleName()).toCompletableFuture().get();
        assertThat(answer).isEqualTo("refused: RejectedExecutionException");
    }
}
