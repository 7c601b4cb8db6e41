package io.millwright.driver.support;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single I/O thread of one endpoint, named {@code <driver>-io-<deviceId>} so that thread counts
 * per device are visible in a thread dump. Every task runs guarded: an exception is handed to the
 * failure handler and never kills the lane or stops a periodic task.
 */
public final class DeviceLane {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceLane.class);

    private final String name;
    private final ScheduledExecutorService executor;
    private final Consumer<Throwable> onFailure;

    /**
     * @param driver driver name, e.g. {@code modbus}
     * @param deviceId the device id
     * @param onFailure called on the lane with any exception a task throws
     */
    public DeviceLane(String driver, String deviceId, Consumer<Throwable> onFailure) {
        this.name = driver + "-io-" + deviceId;
        this.onFailure = onFailure;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the lane thread's name */
    public String name() {
        return name;
    }

    /**
     * Runs {@code task} now and then {@code periodMs} after each run ends (fixed delay: a slow peer
     * never piles up runs).
     *
     * @param periodMs delay between the end of one run and the start of the next
     * @param task the task
     */
    public void everyAfter(long periodMs, Runnable task) {
        executor.scheduleWithFixedDelay(guarded(task), 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} now and then at a fixed rate.
     *
     * @param periodMs period
     * @param task the task
     */
    public void atRate(long periodMs, Runnable task) {
        executor.scheduleAtFixedRate(guarded(task), 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} once after a delay.
     *
     * @param delayMs delay
     * @param task the task
     * @return false if the lane is stopped
     */
    public boolean later(long delayMs, Runnable task) {
        try {
            executor.schedule(guarded(task), delayMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    /**
     * Runs {@code work} on the lane; its result, or {@code onError}'s answer to what it threw or to a
     * stopped lane, completes the returned stage. Never completes exceptionally.
     *
     * @param <T> result type
     * @param work the work
     * @param onError maps a failure (or {@link RejectedExecutionException} when stopped) to a result
     * @return the result
     */
    public <T> CompletionStage<T> submit(Callable<T> work, Function<Throwable, T> onError) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Exception | LinkageError e) {
                    result.complete(onError.apply(e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(onError.apply(e));
        }
        return result;
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                try {
                    onFailure.accept(e);
                } catch (RuntimeException again) {
                    LOG.error("lane {}: failure handler failed on {}", name, e, again);
                }
            }
        };
    }

    /**
     * Runs {@code last} on the lane (e.g. closing the connection), waiting at most {@code timeoutMs},
     * then stops the lane, interrupting a task that hangs. Idempotent.
     *
     * @param last final task, may be null
     * @param timeoutMs how long the final task may take
     * @return true if the lane thread ended
     */
    public boolean stop(Runnable last, long timeoutMs) {
        if (last != null && !executor.isShutdown()) {
            java.util.concurrent.Future<?> done = executor.submit(guarded(last));
            // no periodic run after the final task: a poll there would reconnect what the final task closed
            executor.shutdown();
            try {
                done.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // still stop the lane below; the caller sees the interrupt
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("lane {}: final task did not finish within {} ms: {}", name, timeoutMs, e.toString());
            }
        }
        executor.shutdownNow();
        try {
            if (executor.awaitTermination(5, TimeUnit.SECONDS)) {
                return true;
            }
            LOG.error("lane {}: thread did not stop within 5 s after interrupt", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
