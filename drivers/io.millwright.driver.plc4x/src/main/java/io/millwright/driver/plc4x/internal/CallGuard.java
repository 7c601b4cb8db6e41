package io.millwright.driver.plc4x.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hard timeouts around PLC4X calls, which can block without a bound (connect, close, a read whose answer never
 * comes). Each call runs on the device's helper thread {@code plc4x-call-<deviceId>} while the lane waits at most
 * the timeout; on timeout the call is interrupted. A helper that still does not come back is abandoned and
 * replaced, so the device keeps working; abandoned threads are counted and logged, because each is a thread
 * PLC4X keeps.
 *
 * <p>Closing a PLC4X connection waits for its Netty event loop to shut down gracefully (about 2 s), so closes run
 * beside the lane on at most {@value #CLOSERS} threads {@code plc4x-close-<deviceId>} (idle ones end), never holding
 * up the reconnect; if closes pile up beyond a bounded queue the connection is dropped unclosed and counted.
 * Lane-confined, except {@link #closeLater}.
 */
final class CallGuard {

    private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);
    private static final long GRACE_MS = 1000;
    private static final int CLOSERS = 4;

    private final String name;
    private final ThreadPoolExecutor closer;
    private final AtomicInteger unclosed = new AtomicInteger();
    private ExecutorService helper;
    private int abandoned;
    private boolean stopped;

    CallGuard(String deviceId) {
        this.name = "plc4x-call-" + deviceId;
        String closerName = "plc4x-close-" + deviceId;
        this.closer = new ThreadPoolExecutor(CLOSERS, CLOSERS, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, closerName);
            t.setDaemon(true);
            return t;
        }, (r, pool) -> {
            unclosed.incrementAndGet();
            LOG.error("{}: closes pile up (PLC4X close hangs?): a connection is dropped without close ({} so far)", closerName,
                    unclosed.get());
        });
        closer.allowCoreThreadTimeOut(true);
    }

    /**
     * Closes a connection beside the lane.
     *
     * @param what what is closed, for messages
     * @param connection the connection
     */
    void closeLater(String what, AutoCloseable connection) {
        if (closer.isShutdown()) {
            close(what, connection);
            return;
        }
        closer.execute(() -> close(what, connection));
    }

    private static void close(String what, AutoCloseable connection) {
        try {
            connection.close();
        } catch (Exception e) {
            LOG.debug("close {}: {}", what, e.toString());
        }
    }

    /**
     * @param <T> result type
     * @param what what the call does, for messages
     * @param timeoutMs the hard limit
     * @param call the call
     * @return its result
     * @throws TimeoutException naming {@code what} and the limit
     * @throws Exception what the call threw
     */
    <T> T call(String what, long timeoutMs, Callable<T> call) throws Exception {
        if (stopped) {
            throw new IllegalStateException(what + ": the device is stopped");
        }
        Future<T> f = helper().submit(call);
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            reclaim(what);
            throw new TimeoutException(what + ": no answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** After a timeout: the helper must answer a no-op within the grace period, or it is abandoned. */
    private void reclaim(String what) {
        Future<?> probe = helper.submit(() -> { });
        try {
            probe.get(GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException stuck) {
            helper.shutdownNow();
            helper = null;
            abandoned++;
            LOG.error("{}: {} ignores interrupts; thread abandoned ({} so far), a new one takes over", name, what, abandoned);
        }
    }

    private ExecutorService helper() {
        if (helper == null) {
            helper = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return helper;
    }

    /** @return helper threads given up because a PLC4X call ignored interruption */
    int abandoned() {
        return abandoned;
    }

    /**
     * Ends the helper thread; pending closes are waited for up to {@code timeoutMs}, then left to finish.
     *
     * @param timeoutMs how long to wait for pending closes
     */
    void stop(long timeoutMs) {
        stopped = true;
        if (helper != null) {
            helper.shutdownNow();
            helper = null;
        }
        closer.shutdown();
        try {
            if (!closer.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                // never drop a queued close (that would leak the connection's threads): they finish in the background
                LOG.info("{}: {} closes still running after {} ms; they finish in the background", name,
                        closer.getQueue().size() + closer.getActiveCount(), timeoutMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
