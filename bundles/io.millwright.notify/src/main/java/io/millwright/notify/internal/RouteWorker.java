package io.millwright.notify.internal;

import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmTransition;
import io.millwright.alarm.api.Alarms;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notification route on its own thread: reads the alarm log after its durable position, delivers each event its
 * filter selects to its sink — retrying with capped exponential backoff and jitter until the sink takes it — and moves
 * the position only after that: at least once, in log order, across receiver outages and restarts.
 */
final class RouteWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteWorker.class);

    /**
     * Which events a route takes.
     *
     * @param areas areas (empty: any)
     * @param classes asset classes (empty: any)
     * @param criticalities criticalities (empty: any)
     * @param maxPriority priorities 1 to this
     * @param transitions transitions (empty: any)
     */
    record Filter(Set<String> areas, Set<String> classes, Set<String> criticalities, int maxPriority, Set<AlarmTransition> transitions) {
        boolean matches(AlarmEvent e) {
            return (areas.isEmpty() || areas.contains(e.context().area())) && (classes.isEmpty() || classes.contains(e.context().assetClass()))
                    && (criticalities.isEmpty() || criticalities.contains(e.context().criticality())) && e.priority() <= maxPriority
                    && (transitions.isEmpty() || transitions.contains(e.transition()));
        }
    }

    private final String name;
    private final Alarms alarms;
    private final Filter filter;
    private final Sink sink;
    private final RoutePosition position;
    private final Function<AlarmEvent, byte[]> payload;
    private final long retryMinMs;
    private final long retryMaxMs;
    private final Object wake = new Object();
    private volatile boolean stopped;
    private volatile long delivered;
    private volatile long failures;
    private volatile String lastError = "";

    RouteWorker(String name, Alarms alarms, Filter filter, Sink sink, RoutePosition position, Function<AlarmEvent, byte[]> payload, long retryMinMs,
            long retryMaxMs) {
        this.name = name;
        this.alarms = alarms;
        this.filter = filter;
        this.sink = sink;
        this.position = position;
        this.payload = payload;
        this.retryMinMs = retryMinMs;
        this.retryMaxMs = retryMaxMs;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                List<AlarmEvent> events = alarms.events(position.get(), 100);
                if (events.isEmpty()) {
                    pause(500);
                    continue;
                }
                for (AlarmEvent e : events) {
                    if (stopped) {
                        return;
                    }
                    if (filter.matches(e)) {
                        deliver(e);
                    }
                    if (stopped) {
                        return;
                    }
                    position.set(e.sequence());
                }
            } catch (RuntimeException e) {
                lastError = e.toString();
                LOG.warn("notification route {}: {}", name, e.toString());
                pause(retryMaxMs);
            }
        }
    }

    private void deliver(AlarmEvent e) {
        byte[] body = payload.apply(e);
        long backoff = retryMinMs;
        int attempt = 0;
        while (!stopped) {
            try {
                sink.deliver(e.asset(), body);
                delivered++;
                if (attempt > 0) {
                    LOG.info("notification route {}: {} takes notifications again (event {} after {} attempts)", name, sink.describe(), e.sequence(),
                            attempt + 1);
                }
                lastError = "";
                return;
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception x) {
                failures++;
                lastError = x.getMessage() == null ? x.toString() : x.getMessage();
                if (attempt == 0) {
                    LOG.warn("notification route {}: {} did not take event {} ({}); retrying with backoff up to {} s", name, sink.describe(), e.sequence(),
                            lastError, retryMaxMs / 1000);
                } else {
                    LOG.debug("notification route {}: attempt {} for event {} failed: {}", name, attempt + 1, e.sequence(), lastError);
                }
                attempt++;
                pause(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                backoff = Math.min(retryMaxMs, backoff * 2);
            }
        }
    }

    private void pause(long ms) {
        synchronized (wake) {
            if (stopped) {
                return;
            }
            try {
                wake.wait(Math.max(1, ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    void stop() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    long position() {
        return position.get();
    }

    long delivered() {
        return delivered;
    }

    long failures() {
        return failures;
    }

    String lastError() {
        return lastError;
    }
}
