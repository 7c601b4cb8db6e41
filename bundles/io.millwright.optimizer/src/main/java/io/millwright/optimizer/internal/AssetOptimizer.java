package io.millwright.optimizer.internal;

import io.millwright.asset.api.Twin;
import io.millwright.audit.api.AuditEvent;
import io.millwright.identity.api.Role;
import io.millwright.optimizer.api.Envelope;
import io.millwright.optimizer.api.OptimizerStatus;
import io.millwright.optimizer.api.OptimizerStatus.Decision;
import io.millwright.optimizer.api.OptimizerStatus.State;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.WhatIfReport;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.write.api.WriteStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One asset's bounded closed loop. Every period while active: stop (and revert) on a priority-1 alarm, a switch of the
 * scoring model, or a mismatch between the last projection and what the twin observes; stop without revert when a
 * person writes the tag (their value is the one to keep); otherwise decide ({@link Planner}) and write the choice
 * through the write guard as {@code optimizer:<asset>} with the engineer's role. A stop's revert goes through the guard
 * too, in steps its policy allows, retried with back-off while a rule (an interlock during the alarm) refuses it. State
 * changes are persisted through {@link Services#persist}; they are made under this object's lock, what-ifs outside it.
 */
final class AssetOptimizer {

    private static final Logger LOG = LoggerFactory.getLogger(AssetOptimizer.class);
    static final int KEPT_DECISIONS = 20;
    static final long MAX_BACKOFF_MS = 600_000;

    /** What the loop acts through. */
    interface Services {
        Optional<Twin> twin(String asset);

        WhatIfReport whatIf(String asset, List<Scenario> scenarios, Duration horizon);

        WriteRecord submit(WriteRequest request);

        List<WriteRecord> records(int max);

        Optional<WritePolicy> policy(String asset, String tag);

        void audit(AuditEvent event);

        void persist(String asset, Map<String, Object> properties);
    }

    private final String asset;
    private final String actor;
    private final Services services;
    private Envelope envelope;
    private String problem = "";
    private State state = State.OFF;
    private String enabledBy = "";
    private long enabledMs;
    private double humanValue = Double.NaN;
    private String stopReason = "";
    private String stoppedBy = "";
    private long stoppedMs;
    private boolean revertPending;
    private String revert = "";
    private long revision;
    private long generation;
    private String model = "";
    private String lastCheck = "";
    private final Deque<Decision> decisions = new ArrayDeque<>();
    private Planner.Plan lastPlan;
    private String lastWrite = "";
    private final Deque<double[]> changes = new ArrayDeque<>();
    private long nextDecisionMs;
    private long nextRevertMs;
    private long revertBackoffMs;
    private String revertWrite = "";

    AssetOptimizer(String asset, Services services) {
        this.asset = asset;
        this.actor = "optimizer:" + asset;
        this.services = services;
    }

    String actor() {
        return actor;
    }

    /** Takes a configuration: the envelope and the persisted state; older than what this optimizer wrote last: ignored. */
    synchronized void configure(Map<String, Object> p) {
        long rev = longOf(p.get("revision"), 0);
        if (rev < revision) {
            return;
        }
        revision = rev;
        try {
            envelope = new Envelope(String.valueOf(p.getOrDefault("tag", Envelope.DEFAULT_TAG)), required(p, "min"), required(p, "max"),
                    required(p, "maxChangePerHour"), doubleOf(p.get("rulTargetHours"), Envelope.DEFAULT_RUL_TARGET_HOURS),
                    (int) longOf(p.get("periodSeconds"), Envelope.DEFAULT_PERIOD_SECONDS),
                    doubleOf(p.get("temperatureToleranceC"), Envelope.DEFAULT_TEMPERATURE_TOLERANCE_C),
                    doubleOf(p.get("vibrationTolerance"), Envelope.DEFAULT_VIBRATION_TOLERANCE));
            problem = "";
        } catch (IllegalArgumentException e) {
            problem = OptimizerConfiguration.PID + "~" + asset + ": " + e.getMessage();
            envelope = null;
        }
        boolean enabled = Boolean.TRUE.equals(p.get("enabled")) || "true".equals(String.valueOf(p.get("enabled")));
        long since = longOf(p.get("enabledMs"), 0);
        if (enabled && envelope != null && (state != State.ACTIVE || since != enabledMs)) {
            generation++;
            lastPlan = null;
            model = "";
            nextDecisionMs = 0;
        }
        state = enabled && envelope != null ? State.ACTIVE : longOf(p.get("stoppedMs"), 0) > 0 ? State.STOPPED : State.OFF;
        enabledBy = String.valueOf(p.getOrDefault("enabledBy", ""));
        enabledMs = since;
        humanValue = doubleOf(p.get("humanValue"), Double.NaN);
        stopReason = String.valueOf(p.getOrDefault("stopReason", ""));
        stoppedBy = String.valueOf(p.getOrDefault("stoppedBy", ""));
        stoppedMs = longOf(p.get("stoppedMs"), 0);
        revertPending = Boolean.TRUE.equals(p.get("revertPending")) || "true".equals(String.valueOf(p.get("revertPending")));
        revert = String.valueOf(p.getOrDefault("revert", ""));
    }

    /** @return the configuration to persist */
    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("asset", asset);
        if (envelope != null) {
            p.put("tag", envelope.tag());
            p.put("min", envelope.min());
            p.put("max", envelope.max());
            p.put("maxChangePerHour", envelope.maxChangePerHour());
            p.put("rulTargetHours", envelope.rulTargetHours());
            p.put("periodSeconds", envelope.periodSeconds());
            p.put("temperatureToleranceC", envelope.temperatureToleranceC());
            p.put("vibrationTolerance", envelope.vibrationTolerance());
        }
        p.put("enabled", state == State.ACTIVE);
        p.put("enabledBy", enabledBy);
        p.put("enabledMs", enabledMs);
        if (Double.isFinite(humanValue)) {
            p.put("humanValue", humanValue);
        }
        p.put("stopReason", stopReason);
        p.put("stoppedBy", stoppedBy);
        p.put("stoppedMs", stoppedMs);
        p.put("revertPending", revertPending);
        p.put("revert", revert);
        p.put("revision", ++revision);
        return p;
    }

    private void persist() {
        Map<String, Object> p = properties();
        try {
            services.persist(asset, p);
        } catch (RuntimeException e) {
            LOG.error("optimizer of {}: its state could not be persisted (it holds until a restart): {}", asset, e.toString());
        }
    }

    /** Enables it with an envelope; the caller checked the role and the envelope against the policy, and audits. */
    synchronized OptimizerStatus enable(Envelope e, String by, double current, long nowMs) {
        envelope = e;
        problem = "";
        state = State.ACTIVE;
        enabledBy = by;
        enabledMs = nowMs;
        humanValue = current;
        stopReason = "";
        stoppedBy = "";
        stoppedMs = 0;
        revertPending = false;
        revert = "";
        generation++;
        lastPlan = null;
        model = "";
        nextDecisionMs = nowMs;
        persist();
        return status(current);
    }

    /**
     * Stops it.
     *
     * @param by who or what ({@code p1-alarm}, {@code model-switch}, {@code mismatch}, {@code human-write}, or a person)
     * @param reason why
     * @param revertToHuman whether to revert the tag to the human value
     * @return whether it was active
     */
    synchronized boolean stop(String by, String reason, boolean revertToHuman, long nowMs) {
        if (state != State.ACTIVE) {
            return false;
        }
        state = State.STOPPED;
        stoppedBy = by;
        stopReason = reason;
        stoppedMs = nowMs;
        generation++;
        revertPending = revertToHuman && Double.isFinite(humanValue);
        revert = revertPending ? "due: back to " + Planner.num(humanValue) : revertToHuman ? "none: no human value known" : "";
        nextRevertMs = nowMs;
        revertBackoffMs = 0;
        persist();
        LOG.warn("optimizer of {} stopped by {}: {}{}", asset, by, reason, revertPending ? " — reverting to " + Planner.num(humanValue) : "");
        return true;
    }

    /** One heartbeat: the checks and, when due, a decision; the revert when one is due. */
    void tick(long nowMs) {
        Snapshot s;
        synchronized (this) {
            s = new Snapshot(state, envelope, generation, lastPlan, model, nextDecisionMs, enabledMs, revertPending, nextRevertMs, lastWrite);
        }
        if (!s.revertPending && s.state != State.ACTIVE) {
            return;
        }
        List<WriteRecord> recent = services.records(200); // the guard's latest requests, read once a tick
        if (s.revertPending && nowMs >= s.nextRevertMs) {
            revertStep(nowMs, recent);
        }
        if (s.state != State.ACTIVE || s.envelope == null) {
            return;
        }
        Optional<Twin> twin = services.twin(asset);
        if (twin.isEmpty()) {
            return;
        }
        Twin t = twin.get();
        Optional<WriteRecord> human = recent.stream()
                .filter(r -> r.asset().equals(asset) && r.tag().equals(s.envelope.tag()) && !r.requestedBy().equals(actor)
                        && !r.dryRun() && r.status() == WriteStatus.CONFIRMED && r.updatedMs() > s.enabledMs)
                .findFirst();
        if (human.isPresent()) {
            WriteRecord r = human.get();
            synchronized (this) {
                if (generation == s.generation) {
                    humanValue = r.value();
                }
            }
            autoStop("human-write", r.requestedBy() + " set " + r.tag() + " to " + Planner.num(r.value()) + " (write " + r.id()
                    + "): a person's value is kept", false, nowMs, s.generation);
            return;
        }
        int p1 = t.health().activeAlarms().getOrDefault(1, 0);
        if (p1 > 0) {
            autoStop("p1-alarm", p1 + " priority-1 alarm" + (p1 == 1 ? "" : "s") + " active on " + asset, true, nowMs, s.generation);
            return;
        }
        if (!s.model.isEmpty() && !s.model.equals(t.health().model())) {
            autoStop("model-switch", "the scoring model changed from " + s.model + " to "
                    + (t.health().model().isEmpty() ? "none" : t.health().model()), true, nowMs, s.generation);
            return;
        }
        if (nowMs < s.nextDecisionMs) {
            return;
        }
        if (s.lastPlan != null) {
            Optional<Mismatch.Comparison> c = Mismatch.compare(s.lastPlan, nowMs, reported(t, "bearing_temperature"), reported(t, "vibration"),
                    s.envelope);
            synchronized (this) {
                lastCheck = c.map(Mismatch.Comparison::text).orElse("");
            }
            c.ifPresent(x -> LOG.debug("optimizer of {}: {}", asset, x.text()));
            if (c.isPresent() && !c.get().mismatch().isEmpty()) {
                autoStop("mismatch", c.get().mismatch(), true, nowMs, s.generation);
                return;
            }
        }
        decide(t, s, nowMs, recent);
    }

    private void decide(Twin t, Snapshot s, long nowMs, List<WriteRecord> recent) {
        Envelope e = s.envelope;
        synchronized (this) {
            nextDecisionMs = nowMs + e.periodSeconds() * 1000L;
        }
        double current = reported(t, e.tag());
        if (Double.isNaN(current)) {
            return;
        }
        if (!s.lastWrite.isEmpty() && recent.stream().anyMatch(r -> r.id().equals(s.lastWrite) && !r.status().terminal())) {
            return; // the last write is not settled yet
        }
        WritePolicy policy = services.policy(asset, e.tag()).orElse(null);
        double step = budget(e, policy, nowMs, recent);
        Planner.Plan plan;
        try {
            plan = Planner.plan(current, e, step, sc -> services.whatIf(asset, sc, Duration.ofSeconds(Math.round(e.rulTargetHours() * 3600))),
                    nowMs);
        } catch (RuntimeException ex) {
            LOG.warn("optimizer of {}: no decision this period: {}", asset, ex.getMessage());
            return;
        }
        Decision d = plan.decision();
        WriteRecord written = null;
        synchronized (this) {
            if (generation != s.generation || state != State.ACTIVE) {
                return; // stopped or re-enabled while it computed
            }
            if (Math.abs(d.to() - d.from()) > 1e-9) {
                written = services.submit(new WriteRequest(asset, e.tag(), d.to(), actor, actor, Role.ENGINEER, "gateway", "", false,
                        "optimizer: " + d.why()));
                if (written.status() == WriteStatus.PENDING || written.status() == WriteStatus.CONFIRMED) {
                    changes.addLast(new double[] {nowMs, Math.abs(d.to() - d.from())});
                }
                lastWrite = written.id();
                d = new Decision(d.timeMs(), d.from(), d.to(), d.why(), d.projectedRulHours(), d.output(), d.unit(), written.id(),
                        written.status().id() + (written.rule().isEmpty() ? "" : " (" + written.rule() + ")"), d.candidates());
            }
            if (model.isEmpty()) {
                model = plan.model();
            }
            lastPlan = new Planner.Plan(d, plan.chosen(), plan.model(), plan.plantSecondsPerSecond());
            decisions.addFirst(d);
            while (decisions.size() > KEPT_DECISIONS) {
                decisions.removeLast();
            }
        }
        if (written != null && written.status() == WriteStatus.REFUSED) {
            LOG.info("optimizer of {}: the guard refused {} ({}): {}", asset, Planner.num(d.to()), written.rule(), written.message());
        }
    }

    /** The largest change allowed now: what is left of the hour's budget, and of the policy's step and change per minute. */
    private double budget(Envelope e, WritePolicy policy, long nowMs, List<WriteRecord> recent) {
        double used;
        synchronized (this) {
            while (!changes.isEmpty() && changes.peekFirst()[0] <= nowMs - 3_600_000) {
                changes.removeFirst();
            }
            used = changes.stream().mapToDouble(c -> c[1]).sum();
        }
        return Math.min(Math.max(0, e.maxChangePerHour() - used), policyStep(e.tag(), policy, nowMs, recent));
    }

    /**
     * @return the largest change the tag's policy lets a write make now: its max step, and what is left of its change per
     *     minute after every write sent to the tag within the last minute (anyone's, as the guard counts them)
     */
    private double policyStep(String tag, WritePolicy policy, long nowMs, List<WriteRecord> recent) {
        double step = Double.POSITIVE_INFINITY;
        if (policy != null && policy.maxStep() > 0) {
            step = policy.maxStep();
        }
        if (policy != null && policy.maxChangePerMinute() > 0) {
            double changed = recent.stream()
                    .filter(r -> r.asset().equals(asset) && r.tag().equals(tag) && !r.dryRun() && r.requestedMs() > nowMs - 60_000
                            && (r.status() == WriteStatus.PENDING || r.status() == WriteStatus.CONFIRMED || r.status() == WriteStatus.MISMATCH)
                            && Double.isFinite(r.before()))
                    .mapToDouble(r -> Math.abs(r.value() - r.before())).sum();
            step = Math.min(step, Math.max(0, policy.maxChangePerMinute() - changed));
        }
        return step;
    }

    private void autoStop(String by, String reason, boolean revertToHuman, long nowMs, long gen) {
        boolean stopped;
        synchronized (this) {
            stopped = generation == gen && stop(by, reason, revertToHuman, nowMs);
        }
        if (stopped) {
            try {
                services.audit(new AuditEvent(actor, Role.ENGINEER.id(), "gateway", "", "optimizer.stop", asset + "/" + envelope.tag(),
                        Map.of("state", "active"), Map.of("state", "stopped", "revert", Boolean.toString(revertToHuman)), AuditEvent.OK,
                        by + ": " + reason));
            } catch (RuntimeException e) {
                LOG.error("optimizer of {}: stopped, but the audit trail could not record it: {}", asset, e.toString());
            }
        }
    }

    /** One step of the revert to the human value through the write guard. */
    private void revertStep(long nowMs, List<WriteRecord> recent) {
        Envelope e;
        double target;
        String previous;
        synchronized (this) {
            if (!revertPending || envelope == null) {
                return;
            }
            e = envelope;
            target = humanValue;
            previous = revertWrite;
        }
        if (!previous.isEmpty() && recent.stream().anyMatch(r -> r.id().equals(previous) && !r.status().terminal())) {
            return;
        }
        Optional<Twin> twin = services.twin(asset);
        double current = twin.map(t -> reported(t, e.tag())).orElse(Double.NaN);
        WritePolicy policy = services.policy(asset, e.tag()).orElse(null);
        double tolerance = policy == null ? 1e-6 : Math.max(1e-6, policy.readBackTolerance());
        if (Double.isNaN(current)) {
            backoff(nowMs, "waiting for a value of " + e.tag());
            return;
        }
        if (Math.abs(current - target) <= tolerance) {
            synchronized (this) {
                revertPending = false;
                revert = "done: back at " + Planner.num(target) + (previous.isEmpty() ? "" : " (write " + previous + ")");
                persist();
            }
            try {
                services.audit(new AuditEvent(actor, Role.ENGINEER.id(), "gateway", "", "optimizer.revert", asset + "/" + e.tag(), Map.of(),
                        Map.of("value", Planner.num(target)), AuditEvent.OK, "back at the last human-set value"));
            } catch (RuntimeException ex) {
                LOG.error("optimizer of {}: the revert's audit could not be written: {}", asset, ex.toString());
            }
            return;
        }
        double allowed = policyStep(e.tag(), policy, nowMs, recent);
        if (allowed < tolerance) {
            synchronized (this) {
                nextRevertMs = nowMs + 5_000;
                revert = "waiting: the write policy's change per minute is used up; back to " + Planner.num(target) + " in steps";
            }
            return;
        }
        double d = target - current;
        d = Math.signum(d) * Math.min(Math.abs(d), allowed);
        double value = current + d;
        WriteRecord r = services.submit(new WriteRequest(asset, e.tag(), value, actor, actor, Role.ENGINEER, "gateway", "", false,
                "optimizer stopped: revert to the last human-set value " + Planner.num(target)));
        synchronized (this) {
            revertWrite = r.id();
            if (r.status() == WriteStatus.REFUSED || r.status() == WriteStatus.FAILED) {
                backoff(nowMs, "refused by " + (r.rule().isEmpty() ? r.status().id() : r.rule()) + " (" + r.message() + ")");
            } else {
                revertBackoffMs = 0;
                nextRevertMs = nowMs;
                revert = "writing " + Planner.num(value) + " toward " + Planner.num(target) + " (write " + r.id() + ")";
            }
        }
    }

    private synchronized void backoff(long nowMs, String why) {
        revertBackoffMs = revertBackoffMs == 0 ? Math.max(5_000, envelope.periodSeconds() * 1000L) : Math.min(MAX_BACKOFF_MS, revertBackoffMs * 2);
        nextRevertMs = nowMs + revertBackoffMs;
        revert = "pending: " + why + "; next try in " + revertBackoffMs / 1000 + " s";
    }

    /** @return its status, with the tag's value as the twin reports it */
    synchronized OptimizerStatus status(double value) {
        List<Decision> list = new ArrayList<>(decisions);
        // each decision's write as it stands now
        Map<String, WriteRecord> writes = new HashMap<>();
        if (list.stream().anyMatch(d -> !d.write().isEmpty())) {
            services.records(200).forEach(r -> writes.put(r.id(), r));
        }
        for (int i = 0; i < list.size(); i++) {
            Decision d = list.get(i);
            WriteRecord r = writes.get(d.write());
            if (r != null) {
                list.set(i, new Decision(d.timeMs(), d.from(), d.to(), d.why(), d.projectedRulHours(), d.output(), d.unit(), d.write(),
                        r.status().id() + (r.rule().isEmpty() ? "" : " (" + r.rule() + ")"), d.candidates()));
            }
        }
        return new OptimizerStatus(asset, state, envelope, actor, enabledBy, enabledMs, humanValue, value, model, list, lastCheck, stopReason,
                stoppedBy, stoppedMs, revert, problem);
    }

    synchronized Envelope envelope() {
        return envelope;
    }

    synchronized State state() {
        return state;
    }

    static double reported(Twin t, String tag) {
        return t.reported().stream().filter(r -> r.tag().equals(tag) && !r.stale() && "GOOD".equals(r.quality())).mapToDouble(Twin.Reported::number)
                .filter(Double::isFinite).findFirst().orElse(Double.NaN);
    }

    private static double required(Map<String, Object> p, String key) {
        if (!p.containsKey(key)) {
            throw new IllegalArgumentException(key + " is required");
        }
        return doubleOf(p.get(key), Double.NaN);
    }

    static double doubleOf(Object o, double otherwise) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(o.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + o + "' is not a number");
        }
    }

    static long longOf(Object o, long otherwise) {
        return o == null ? otherwise : (long) doubleOf(o, otherwise);
    }

    private record Snapshot(State state, Envelope envelope, long generation, Planner.Plan lastPlan, String model, long nextDecisionMs,
            long enabledMs, boolean revertPending, long nextRevertMs, String lastWrite) {
    }
}
