package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.ScoringModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one service of a model id, whatever version is in charge. A new version that passed validation becomes the
 * candidate: it scores in shadow on the same vectors as the active one (the active answer is returned, both are
 * kept for comparison) and after {@code shadowScores} successful shadow scores it takes over — a single reference
 * swap between two calls, so every vector is scored by exactly one version and none is skipped. A candidate that
 * fails in shadow is dropped; an active version that fails at run time hands back to the previous one, which
 * answers that same vector.
 */
final class ModelSlot implements ScoringModel {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);

    /** One shadow comparison, for the status. */
    record Comparison(String asset, long windowEndMicros, String activeVersion, double active, String candidateVersion, double candidate) {
    }

    /** What the slot is doing, for the live view and logs. */
    record Status(String id, String active, String candidate, String previous, int shadowLeft, List<Comparison> comparisons, List<String> events) {
    }

    private final String id;
    private final int shadowScores;
    private PackagedModel active;
    private PackagedModel candidate;
    private PackagedModel previous;
    private int shadowLeft;
    private String retraining = "";
    private final Deque<Comparison> comparisons = new ArrayDeque<>();
    private final Deque<String> events = new ArrayDeque<>();

    ModelSlot(PackagedModel first, int shadowScores) {
        this.id = first.id();
        this.active = first;
        this.shadowScores = shadowScores;
        event("version " + first.version() + " in charge (" + first.sha256().substring(0, 12) + ")");
    }

    /**
     * Offers a new validated version.
     *
     * @param next the version
     * @return false if it is the version already in charge or already the candidate
     */
    synchronized boolean offer(PackagedModel next) {
        if (next.sha256().equals(active.sha256()) || candidate != null && next.sha256().equals(candidate.sha256())) {
            return false;
        }
        if (!next.featureSet().equals(active.featureSet())) {
            event("version " + next.version() + " declares feature set " + next.featureSet().id() + ", not " + active.featureSet().id()
                    + ": it replaces " + active.version() + " without shadow");
            switchTo(next);
            return true;
        }
        if (shadowScores == 0) {
            switchTo(next);
        } else {
            candidate = next;
            shadowLeft = shadowScores;
            event("version " + next.version() + " validated, scoring in shadow for " + shadowScores + " windows beside " + active.version());
        }
        return true;
    }

    private void switchTo(PackagedModel next) {
        accuracyRetraining = "";
        previous = active;
        active = next;
        candidate = null;
        retraining = "";
        event("version " + next.version() + " in charge (was " + previous.version() + ")");
        LOG.info("model {}: version {} in charge (was {})", id, next.version(), previous.version());
    }

    /** Times every window scored (the version in service, and the candidate in shadow if there is one). */
    private final io.millwright.api.LatencyRecorder scoringLatency = new io.millwright.api.LatencyRecorder();
    private long scores;

    @Override
    public synchronized Score score(FeatureVector vector) {
        long t0 = System.nanoTime();
        try {
            return scoreTimed(vector);
        } finally {
            scores++;
            scoringLatency.recordNanos(System.nanoTime() - t0);
            if (scores % 50 == 0) {
                checkDrift();
            }
        }
    }

    /** Why the realised accuracy recommends retraining the version in service, or empty. */
    private String accuracyRetraining = "";

    /** Judges the answers of the version in service (and of a candidate) for the asset against what became of it. */
    synchronized void outcome(String asset, long atMicros, io.millwright.analytics.api.ModelOutcomes.Outcome outcome, double plantSecondsPerSecond) {
        if (candidate != null) {
            candidate.accuracy().outcome(asset, atMicros, outcome, plantSecondsPerSecond);
        }
        String why = active.accuracy().outcome(asset, atMicros, outcome, plantSecondsPerSecond);
        if (!why.isEmpty() && accuracyRetraining.isEmpty()) {
            event("version " + active.version() + ": " + why);
            LOG.warn("model {} version {}: {}", id, active.version(), why);
        }
        if (!why.isEmpty() || outcome == io.millwright.analytics.api.ModelOutcomes.Outcome.FAILURE) {
            accuracyRetraining = why;
        }
    }

    /** Every 50 windows: a recommendation to retrain is an event (and a warning) when it starts, and when it ends. */
    private void checkDrift() {
        String why = active.monitor().retraining();
        if (!why.isEmpty() && retraining.isEmpty()) {
            event("version " + active.version() + ": " + why);
            LOG.warn("model {} version {}: {}", id, active.version(), why);
        } else if (why.isEmpty() && !retraining.isEmpty()) {
            event("version " + active.version() + ": its features are back within the training reference");
        }
        retraining = why;
    }

    private Score scoreTimed(FeatureVector vector) {
        Score answer;
        try {
            answer = active.score(vector);
        } catch (IllegalArgumentException wrongInput) {
            throw wrongInput;
        } catch (RuntimeException e) {
            if (previous == null) {
                throw e;
            }
            PackagedModel failed = active;
            active = previous;
            previous = null;
            event("version " + failed.version() + " failed at run time (" + e.getMessage() + "): version " + active.version() + " back in charge");
            LOG.error("model {}: version {} failed, {} back in charge: {}", id, failed.version(), active.version(), e.toString());
            return active.score(vector);
        }
        if (candidate != null) {
            try {
                Score shadow = candidate.score(vector);
                comparisons.addLast(new Comparison(vector.asset(), vector.window().toMicros(), active.version(), answer.result(), candidate.version(),
                        shadow.result()));
                answer = answer.withShadow(candidate.version(), shadow.result());
                while (comparisons.size() > 20) {
                    comparisons.removeFirst();
                }
                if (--shadowLeft == 0) {
                    switchTo(candidate); // the next vector is the new version's
                }
            } catch (RuntimeException e) {
                event("candidate " + candidate.version() + " failed in shadow (" + e.getMessage() + "): dropped, " + active.version() + " stays");
                LOG.error("model {}: candidate {} failed in shadow, dropped: {}", id, candidate.version(), e.toString());
                candidate = null;
            }
        }
        return answer;
    }

    /**
     * Withdraws a version whose source went away.
     *
     * @param sha256 the version's model hash
     * @param source where it came from, for the events
     * @return true if it was the only version: the slot is empty and its service must go
     */
    synchronized boolean withdraw(String sha256, String source) {
        if (candidate != null && candidate.sha256().equals(sha256)) {
            event("candidate " + candidate.version() + " withdrawn (" + source + " gone); " + active.version() + " stays");
            candidate = null;
            return false;
        }
        if (previous != null && previous.sha256().equals(sha256)) {
            event("previous version " + previous.version() + " withdrawn (" + source + " gone)");
            previous = null;
            return false;
        }
        if (!active.sha256().equals(sha256)) {
            return false;
        }
        PackagedModel next = previous != null ? previous : candidate;
        if (next == null) {
            event("version " + active.version() + " withdrawn (" + source + " gone): no version left");
            return true;
        }
        event("version " + active.version() + " withdrawn (" + source + " gone): " + next.version() + " in charge");
        active = next;
        previous = null;
        candidate = null;
        return false;
    }

    /**
     * Records a version that failed validation: the one in charge stays.
     *
     * @param reason the validation error
     */
    synchronized void rejected(String reason) {
        event("rejected: " + reason + "; " + active.version() + " stays in charge");
    }

    private void event(String what) {
        events.addLast(java.time.Instant.now() + " " + what);
        while (events.size() > 20) {
            events.removeFirst();
        }
    }

    /** @return the slot as the engine-neutral inventory shows it */
    synchronized io.millwright.analytics.api.ModelStatus inventory() {
        List<io.millwright.analytics.api.ModelStatus.Comparison> shown = new ArrayList<>();
        for (Comparison c : comparisons) {
            shown.add(new io.millwright.analytics.api.ModelStatus.Comparison(c.asset(), java.time.Instant.EPOCH.plus(c.windowEndMicros(),
                    java.time.temporal.ChronoUnit.MICROS), c.activeVersion(), c.active(), c.candidateVersion(), c.candidate()));
        }
        List<io.millwright.analytics.api.ModelStatus.Event> happened = new ArrayList<>();
        for (String e : events) {
            int space = e.indexOf(' ');
            happened.add(new io.millwright.analytics.api.ModelStatus.Event(java.time.Instant.parse(e.substring(0, space)), e.substring(space + 1)));
        }
        return new io.millwright.analytics.api.ModelStatus(id, active.version(), active.sha256(), active.kind(),
                active.featureSet().name() + "@" + active.featureSet().version(), candidate == null ? "" : candidate.version(), shadowLeft,
                previous == null ? "" : previous.version(), shown, happened, scores, scoringLatency.snapshot(),
                new io.millwright.analytics.api.ModelStatus.Monitoring(active.card(), active.monitor().windows(), active.monitor().drift(),
                        String.join("; ", java.util.stream.Stream.of(active.monitor().retraining(), accuracyRetraining).filter(w -> !w.isEmpty())
                                .toList()), active.monitor().scores(), active.accuracy().snapshot()));
    }

    synchronized Status status() {
        return new Status(id, active.version(), candidate == null ? "" : candidate.version(), previous == null ? "" : previous.version(), shadowLeft,
                new ArrayList<>(comparisons), new ArrayList<>(events));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized String version() {
        return active.version();
    }

    @Override
    public synchronized String sha256() {
        return active.sha256();
    }

    @Override
    public synchronized ModelKind kind() {
        return active.kind();
    }

    @Override
    public synchronized FeatureSetDefinition featureSet() {
        return active.featureSet();
    }
}
