package io.millwright.write.internal;

import io.millwright.api.Value;
import io.millwright.api.ValueType;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.driver.api.WriteResult;
import io.millwright.identity.api.Role;
import io.millwright.write.api.Interlock;
import io.millwright.write.api.WriteGuard;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.write.api.WriteStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The write guard's rules and bookkeeping, without OSGi (public for the load driver in benchmarks/; the package is not exported). Order of the checks, each refusal naming its rule: {@code policy},
 * {@code writable}, {@code role}, {@code bounds}, {@code pending} (one write per tag at a time), {@code max-step},
 * {@code max-rate} (sum of changes within 60 s), {@code max-requests} (writes within 60 s), then each
 * {@code interlock:<text>}; an approval checks all of them again. The record is audited before anything is sent (a trail
 * that cannot be written refuses the write); the device's answer is awaited (so {@link #submit} returns PENDING only once
 * the device took the value), and the read-back polls the twin every {@value #READ_BACK_POLL_MS} ms on the scheduler's
 * thread until the device reports the value within the tolerance, or the timeout.
 */
public final class Guard implements WriteGuard {

    static final long READ_BACK_POLL_MS = 20;
    private static final int KEPT = 1000;
    private static final long MINUTE_MS = 60_000;
    private static final Duration DEVICE_TIMEOUT = Duration.ofSeconds(15);

    private final Plant plant;
    private final AuditTrail audit;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration approvalTimeout;
    private final Object lock = new Object();
    private final LinkedHashMap<String, WriteRecord> records = new LinkedHashMap<>();
    private final Map<String, WriteRequest> awaiting = new HashMap<>();
    private final Map<String, String> pendingByTarget = new HashMap<>();
    private final Map<String, Deque<long[]>> sentByTarget = new HashMap<>();
    private volatile Map<String, WritePolicy> policies = Map.of();
    private volatile List<String> problems = List.of();

    /**
     * @param plant tags, twins, devices
     * @param audit the audit trail
     * @param clock the clock
     * @param scheduler runs read-backs and approval expiries
     * @param approvalTimeout how long a request waits for approval
     */
    public Guard(Plant plant, AuditTrail audit, Clock clock, ScheduledExecutorService scheduler, Duration approvalTimeout) {
        this.plant = plant;
        this.audit = audit;
        this.clock = clock;
        this.scheduler = scheduler;
        this.approvalTimeout = approvalTimeout;
    }

    /**
     * @param byTarget the policies by {@code asset/tag}
     * @param why policies that could not be used, by {@code asset/tag} (or PID) with the reason
     */
    public void policies(Map<String, WritePolicy> byTarget, Map<String, String> why) {
        policies = Map.copyOf(byTarget);
        problems = why.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).sorted().toList();
    }

    @Override
    public List<WritePolicy> policies() {
        return policies.values().stream().sorted(java.util.Comparator.comparing(WritePolicy::target)).toList();
    }

    @Override
    public List<String> problems() {
        return problems;
    }

    // ---- requests ----

    private record Refusal(String rule, String message) {
    }

    @Override
    public WriteRecord submit(WriteRequest r) {
        long now = clock.millis();
        String target = r.asset() + "/" + r.tag();
        Optional<AssetTag> tag = plant.tag(r.asset(), r.tag());
        Optional<Twin> twin = plant.twin(r.asset());
        double before = current(twin, r.tag());
        String unit = tag.map(AssetTag::unit).orElse("");
        WriteRecord rec = new WriteRecord(UUID.randomUUID().toString(), r.asset(), r.tag(), r.value(), unit, before, WriteStatus.PENDING,
                "", "", r.actor(), "", r.dryRun(), r.reason(), now, now, Double.NaN, "", Double.NaN);
        WritePolicy policy = policies.get(target);
        Refusal refusal;
        synchronized (lock) {
            refusal = check(r.actor(), r.role(), policy, target, tag, twin, before, r.value(), now);
            if (refusal == null && !r.dryRun() && !policy.approval()) {
                reserve(target, rec.id(), Math.abs(r.value() - before), now);
            }
        }
        if (refusal != null) {
            return refuse(r.actor(), r.role().id(), r.source(), r.address(), "write.request", rec, refusal);
        }
        String sent = describe(r.value(), unit) + " to " + target;
        if (r.dryRun()) {
            WriteRecord checked = rec.with(WriteStatus.CHECKED, "", "dry run: every rule passes; would write " + sent, now);
            record(r.actor(), r.role().id(), r.source(), r.address(), "write.dry-run", checked, AuditEvent.OK, checked.message());
            return keep(checked);
        }
        if (policy.approval()) {
            WriteRecord waiting = rec.with(WriteStatus.AWAITING_APPROVAL, "", "awaits the approval of an engineer other than "
                    + r.actor() + " within " + approvalTimeout.toMinutes() + " min: " + sent, now);
            try {
                record(r.actor(), r.role().id(), r.source(), r.address(), "write.request", waiting, AuditEvent.OK, waiting.message());
            } catch (RuntimeException e) {
                return keep(rec.with(WriteStatus.FAILED, "audit", "the audit trail cannot be written, nothing was sent: " + e.getMessage(), now));
            }
            synchronized (lock) {
                awaiting.put(rec.id(), r);
            }
            scheduler.schedule(() -> expire(rec.id()), approvalTimeout.toMillis(), TimeUnit.MILLISECONDS);
            plant.desire(r.asset(), new Twin.Desired(r.tag(), r.value(), unit, "awaiting-approval", now, r.actor()));
            return keep(waiting);
        }
        return send(rec, tag.orElseThrow(), policy, r.actor(), r.role().id(), r.source(), r.address());
    }

    /** Runs every rule in order; null when all pass. Called under the lock. */
    private Refusal check(String actor, Role role, WritePolicy policy, String target, Optional<AssetTag> tag, Optional<Twin> twin,
            double before, double value, long now) {
        if (policy == null) {
            String problem = problems.stream().filter(p -> p.startsWith(target + ":")).findFirst().orElse("");
            return new Refusal("policy", problem.isEmpty()
                    ? target + " has no write policy: every writable tag needs one with its bounds (factory PID io.millwright.write.policy)"
                    : "the write policy of " + problem + " cannot be used");
        }
        if (tag.isEmpty()) {
            return new Refusal("writable", target + " is not a tag of the asset model");
        }
        if (!tag.get().writable()) {
            return new Refusal("writable", target + " is not writable: its device channel " + tag.get().source() + " is read-only");
        }
        String unit = tag.get().unit();
        if (!role.includes(policy.role())) {
            return new Refusal("role", actor + " (" + role.id() + ") may not write " + target + ": needs " + policy.role().id());
        }
        if (!Double.isFinite(value) || value < policy.min() || value > policy.max()) {
            return new Refusal("bounds", describe(value, unit) + " is outside " + target + "'s bounds " + describe(policy.min(), "") + " to "
                    + describe(policy.max(), unit));
        }
        String pending = pendingByTarget.get(target);
        if (pending != null) {
            return new Refusal("pending", "a write to " + target + " (" + pending + ") still awaits the device's read-back");
        }
        double step = Math.abs(value - before);
        if (policy.maxStep() > 0) {
            if (Double.isNaN(before)) {
                return new Refusal("max-step", "the current value of " + target + " is not known, so a step of at most "
                        + describe(policy.maxStep(), unit) + " cannot be checked");
            }
            if (step > policy.maxStep()) {
                return new Refusal("max-step", "a step of " + describe(step, unit) + " from " + describe(before, unit)
                        + " exceeds the maximum step of " + describe(policy.maxStep(), unit));
            }
        }
        Deque<long[]> sent = recent(target, now);
        if (policy.maxChangePerMinute() > 0) {
            double changed = sent.stream().mapToDouble(s -> Double.longBitsToDouble(s[1])).sum();
            double change = Double.isNaN(step) ? 0 : step;
            if (changed + change > policy.maxChangePerMinute()) {
                return new Refusal("max-rate", "changes of " + describe(changed, unit) + " within the last minute plus this "
                        + describe(change, unit) + " exceed " + describe(policy.maxChangePerMinute(), unit) + " per minute");
            }
        }
        if (policy.maxRequestsPerMinute() > 0 && sent.size() >= policy.maxRequestsPerMinute()) {
            return new Refusal("max-requests", sent.size() + " writes to " + target + " within the last minute: at most "
                    + policy.maxRequestsPerMinute());
        }
        for (Interlock i : policy.interlocks()) {
            String broken = broken(i, twin, tag.get());
            if (broken != null) {
                return new Refusal("interlock:" + i.text(), broken);
            }
        }
        return null;
    }

    /** @return why the interlock does not hold, or null if it holds */
    private static String broken(Interlock i, Optional<Twin> maybe, AssetTag tag) {
        if (maybe.isEmpty()) {
            return "the asset has no twin state yet, so '" + i.text() + "' cannot be checked";
        }
        Twin t = maybe.get();
        return switch (i.kind()) {
            case STATE -> i.states().contains(t.operatingState().name()) ? null
                    : t.asset() + " is " + t.operatingState() + "; writes need " + String.join(" or ", new java.util.TreeSet<>(i.states()));
            case NO_ALARM -> {
                int n = 0;
                for (int p = 1; p <= i.priority(); p++) {
                    n += t.health().activeAlarms().getOrDefault(p, 0);
                }
                yield n == 0 ? null : t.asset() + " has " + n + " annunciated alarm" + (n == 1 ? "" : "s") + " of priority "
                        + (i.priority() == 1 ? "1" : "1-" + i.priority());
            }
            case NOT_IN_MAINTENANCE -> t.operatingState() == OperatingState.MAINTENANCE || t.maintenance() != null
                    ? t.asset() + " is in maintenance" : null;
            case FRESH -> {
                Optional<Twin.Reported> r = t.reported().stream().filter(x -> x.tag().equals(tag.name())).findFirst();
                if (r.isEmpty()) {
                    yield tag.name() + " has no value yet";
                }
                yield r.get().stale() ? tag.name() + " is stale" : "GOOD".equals(r.get().quality()) ? null : tag.name() + " is " + r.get().quality();
            }
        };
    }

    private Deque<long[]> recent(String target, long now) {
        Deque<long[]> sent = sentByTarget.computeIfAbsent(target, k -> new ArrayDeque<>());
        while (!sent.isEmpty() && sent.peekFirst()[0] <= now - MINUTE_MS) {
            sent.removeFirst();
        }
        return sent;
    }

    private void reserve(String target, String id, double step, long now) {
        pendingByTarget.put(target, id);
        recent(target, now).addLast(new long[] {now, Double.doubleToLongBits(Double.isNaN(step) ? 0 : step)});
    }

    /** Sends an accepted request to the device and waits for its answer; starts the read-back. */
    private WriteRecord send(WriteRecord rec, AssetTag tag, WritePolicy policy, String actor, String role, String source, String address) {
        String target = rec.target();
        long now = clock.millis();
        Optional<Device> device = plant.device(tag.source());
        if (device.isEmpty()) {
            return finish(rec.with(WriteStatus.FAILED, "", "no device provides " + target + "'s channel " + tag.source(), now), actor, role,
                    source, address, true);
        }
        Device d = device.get();
        double deviceValue = tag.toDevice(rec.value());
        Value value = value(d, tag, deviceValue);
        WriteRecord pending = new WriteRecord(rec.id(), rec.asset(), rec.tag(), rec.value(), rec.unit(), rec.before(), WriteStatus.PENDING, "",
                "sent " + describe(rec.value(), rec.unit()) + " (" + describe(deviceValue, tag.deviceUnit()) + ") to " + d.id() + " "
                        + tag.source() + "; awaiting the read-back within " + policy.readBackTimeout().toMillis() + " ms",
                rec.requestedBy(), rec.approvedBy(), false, rec.reason(), rec.requestedMs(), now, Double.NaN, d.id(), deviceValue);
        try {
            AuditEvent e = event(actor, role, source, address, rec.approvedBy().isEmpty() ? "write.request" : "write.approve", pending,
                    AuditEvent.OK, pending.message());
            audit.record(e);
        } catch (RuntimeException e) {
            return finish(rec.with(WriteStatus.FAILED, "audit", "the audit trail cannot be written, nothing was sent: " + e.getMessage(), now),
                    null, null, null, null, true);
        }
        keep(pending);
        plant.desire(rec.asset(), new Twin.Desired(rec.tag(), rec.value(), rec.unit(), "pending", now, who(pending)));
        WriteResult result;
        try {
            result = d.write(tag.source(), value).toCompletableFuture().get(DEVICE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = WriteResult.refused("interrupted while waiting for " + d.id());
        } catch (TimeoutException e) {
            result = WriteResult.refused(d.id() + " did not answer within " + DEVICE_TIMEOUT.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            result = WriteResult.refused(d.id() + " failed: " + e.getCause());
        }
        if (!result.accepted()) {
            return finish(pending.with(WriteStatus.FAILED, "", d.id() + " refused " + describe(deviceValue, tag.deviceUnit()) + " for " + tag.source() + ": " + result.message(),
                    clock.millis()), actor, role, source, address, true);
        }
        long sentMs = now;
        long deadline = sentMs + policy.readBackTimeout().toMillis();
        scheduler.schedule(() -> readBack(pending, policy, sentMs, deadline), READ_BACK_POLL_MS, TimeUnit.MILLISECONDS);
        return pending;
    }

    private static Value value(Device d, AssetTag tag, double deviceValue) {
        ValueType type = d.channels().stream().filter(c -> c.id().equals(tag.source())).map(ChannelDescriptor::type).findFirst()
                .orElse(ValueType.DOUBLE);
        return switch (type) {
            case LONG -> Value.of(Math.round(deviceValue));
            case BOOLEAN -> Value.of(deviceValue != 0);
            default -> Value.of(deviceValue);
        };
    }

    private void readBack(WriteRecord pending, WritePolicy policy, long sentMs, long deadline) {
        try {
            Optional<Twin.Reported> r = plant.twin(pending.asset())
                    .flatMap(t -> t.reported().stream().filter(x -> x.tag().equals(pending.tag())).findFirst())
                    .filter(x -> x.timeMs() >= sentMs && "GOOD".equals(x.quality()));
            long now = clock.millis();
            if (r.isPresent() && Math.abs(r.get().number() - pending.value()) <= policy.readBackTolerance()) {
                WriteRecord ok = new WriteRecord(pending.id(), pending.asset(), pending.tag(), pending.value(), pending.unit(), pending.before(),
                        WriteStatus.CONFIRMED, "", pending.device() + " reports " + describe(r.get().number(), pending.unit()) + " for "
                                + pending.target() + " " + (now - sentMs) + " ms after the write",
                        pending.requestedBy(), pending.approvedBy(), false, pending.reason(), pending.requestedMs(), now, r.get().number(),
                        pending.device(), pending.deviceValue());
                plant.desire(pending.asset(), new Twin.Desired(pending.tag(), r.get().number(), pending.unit(), "confirmed", now, who(pending)));
                finish(ok, null, null, null, null, false);
                return;
            }
            if (now >= deadline) {
                String seen = r.map(x -> "reports " + describe(x.number(), pending.unit())).orElse("reported no new GOOD value");
                WriteRecord bad = new WriteRecord(pending.id(), pending.asset(), pending.tag(), pending.value(), pending.unit(), pending.before(),
                        WriteStatus.MISMATCH, "read-back", pending.device() + " " + seen + " for " + pending.target() + " within "
                                + policy.readBackTimeout().toMillis() + " ms of the write of " + describe(pending.value(), pending.unit())
                                + " (tolerance " + policy.readBackTolerance() + ")",
                        pending.requestedBy(), pending.approvedBy(), false, pending.reason(), pending.requestedMs(), now,
                        r.map(Twin.Reported::number).orElse(Double.NaN), pending.device(), pending.deviceValue());
                plant.desire(pending.asset(), new Twin.Desired(pending.tag(), pending.value(), pending.unit(), "mismatch", now, who(pending)));
                finish(bad, null, null, null, null, false);
                return;
            }
            scheduler.schedule(() -> readBack(pending, policy, sentMs, deadline), READ_BACK_POLL_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            finish(pending.with(WriteStatus.MISMATCH, "read-back", "the read-back of " + pending.target() + " failed: " + e, clock.millis()),
                    null, null, null, null, false);
        }
    }

    /** Records a terminal result of a sent (or unsendable) write: frees the tag, audits, wakes waiters. */
    private WriteRecord finish(WriteRecord rec, String actor, String role, String source, String address, boolean failedBeforeSend) {
        synchronized (lock) {
            pendingByTarget.remove(rec.target(), rec.id());
            if (failedBeforeSend) {
                Deque<long[]> sent = sentByTarget.get(rec.target());
                if (sent != null) {
                    sent.pollLast();
                }
            }
        }
        String result = rec.status() == WriteStatus.CONFIRMED ? AuditEvent.OK : AuditEvent.FAILED;
        try {
            if (actor == null) {
                audit.record(new AuditEvent(rec.requestedBy(), "", "gateway", "", "write.result", rec.target(), Map.of("value", number(rec.before())),
                        Map.of("value", number(rec.readBack()), "requested", number(rec.value())), result, rec.status().id() + ": " + rec.message()));
            } else {
                audit.record(event(actor, role, source, address, "write.request", rec, result, rec.message()));
            }
        } catch (RuntimeException e) {
            // the result stands; the trail's failure is the trail's to report
        }
        if (rec.status() == WriteStatus.FAILED) {
            plant.desire(rec.asset(), new Twin.Desired(rec.tag(), rec.value(), rec.unit(), "failed", rec.updatedMs(), who(rec)));
        }
        return keep(rec);
    }

    // ---- approvals ----

    @Override
    public WriteRecord approve(String id, String actor, String person, Role role, String comment) {
        ActingAs.Who who = ActingAs.current().orElse(new ActingAs.Who(actor, role.id(), "gateway", ""));
        WriteRecord rec;
        WriteRequest req;
        Refusal refusal;
        Optional<AssetTag> tag;
        WritePolicy policy;
        long now = clock.millis();
        synchronized (lock) {
            rec = awaitingRecord(id, actor, role, "approve", who);
            req = awaiting.get(id);
            if (!role.includes(Role.ENGINEER)) {
                throw denied(actor, role, "approve", rec, who, actor + " (" + role.id() + ") may not approve " + rec.target()
                        + ": needs engineer");
            }
            String by = person == null || person.isBlank() ? actor : person;
            if (by.equals(req.person()) || actor.equals(rec.requestedBy())) {
                throw denied(actor, role, "approve", rec, who, "two-person rule: " + by + " requested this write of " + rec.target()
                        + " and may not approve it");
            }
            awaiting.remove(id);
            tag = plant.tag(rec.asset(), rec.tag());
            Optional<Twin> twin = plant.twin(rec.asset());
            policy = policies.get(rec.target());
            refusal = check(req.actor(), req.role(), policy, rec.target(), tag, twin, current(twin, rec.tag()), rec.value(), now);
            if (refusal == null) {
                reserve(rec.target(), id, Math.abs(rec.value() - current(twin, rec.tag())), now);
            }
        }
        WriteRecord approved = new WriteRecord(rec.id(), rec.asset(), rec.tag(), rec.value(), rec.unit(), rec.before(), rec.status(), "",
                rec.message(), rec.requestedBy(), actor, false, text(comment).isEmpty() ? rec.reason()
                        : (rec.reason().isEmpty() ? "" : rec.reason() + "; ") + "approved: " + text(comment),
                rec.requestedMs(), now, Double.NaN, "", Double.NaN);
        if (refusal != null) {
            plant.desire(rec.asset(), new Twin.Desired(rec.tag(), rec.value(), rec.unit(), "refused", now, rec.requestedBy()));
            return refuse(actor, role.id(), who.source(), who.address(), "write.approve", approved, refusal);
        }
        return send(approved, tag.orElseThrow(), policy, actor, role.id(), who.source(), who.address());
    }

    @Override
    public WriteRecord reject(String id, String actor, String person, Role role, String comment) {
        ActingAs.Who who = ActingAs.current().orElse(new ActingAs.Who(actor, role.id(), "gateway", ""));
        WriteRecord rec;
        synchronized (lock) {
            rec = awaitingRecord(id, actor, role, "reject", who);
            WriteRequest req = awaiting.get(id);
            String by = person == null || person.isBlank() ? actor : person;
            if (!role.includes(Role.ENGINEER) && !actor.equals(rec.requestedBy()) && !by.equals(req.person())) {
                throw denied(actor, role, "reject", rec, who, actor + " (" + role.id() + ") may not reject " + rec.target()
                        + ": needs engineer, or the requester");
            }
            awaiting.remove(id);
        }
        long now = clock.millis();
        WriteRecord rejected = new WriteRecord(rec.id(), rec.asset(), rec.tag(), rec.value(), rec.unit(), rec.before(), WriteStatus.REJECTED, "",
                actor + " rejected the write of " + describe(rec.value(), rec.unit()) + " to " + rec.target()
                        + (text(comment).isEmpty() ? "" : ": " + text(comment)),
                rec.requestedBy(), actor, false, rec.reason(), rec.requestedMs(), now, Double.NaN, "", Double.NaN);
        record(actor, role.id(), who.source(), who.address(), "write.reject", rejected, AuditEvent.OK, rejected.message());
        plant.desire(rec.asset(), new Twin.Desired(rec.tag(), rec.value(), rec.unit(), "rejected", now, rec.requestedBy()));
        return keep(rejected);
    }

    private WriteRecord awaitingRecord(String id, String actor, Role role, String what, ActingAs.Who who) {
        WriteRecord rec = records.get(id);
        if (rec == null) {
            throw new NoSuchElementException("no write request " + id);
        }
        if (rec.status() != WriteStatus.AWAITING_APPROVAL) {
            String why = "write request " + id + " to " + rec.target() + " is " + rec.status().id() + ", not awaiting approval";
            record(actor, role.id(), who.source(), who.address(), "write." + what, rec, AuditEvent.REFUSED, why);
            throw new IllegalStateException(why);
        }
        return rec;
    }

    private SecurityException denied(String actor, Role role, String what, WriteRecord rec, ActingAs.Who who, String why) {
        record(actor, role.id(), who.source(), who.address(), "write." + what, rec, AuditEvent.REFUSED, why);
        return new SecurityException(why);
    }

    private void expire(String id) {
        WriteRecord rec;
        synchronized (lock) {
            if (awaiting.remove(id) == null) {
                return;
            }
            rec = records.get(id);
        }
        long now = clock.millis();
        WriteRecord expired = rec.with(WriteStatus.EXPIRED, "", "nobody approved the write of " + describe(rec.value(), rec.unit()) + " to "
                + rec.target() + " within " + approvalTimeout.toMinutes() + " min", now);
        try {
            record("gateway", "", "gateway", "", "write.expire", expired, AuditEvent.OK, expired.message());
        } catch (RuntimeException e) {
            // expired all the same
        }
        plant.desire(rec.asset(), new Twin.Desired(rec.tag(), rec.value(), rec.unit(), "expired", now, rec.requestedBy()));
        keep(expired);
    }

    // ---- records ----

    @Override
    public WriteRecord await(String id, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                WriteRecord rec = records.get(id);
                if (rec == null) {
                    throw new NoSuchElementException("no write request " + id);
                }
                long left = end - System.nanoTime();
                if (rec.status() != WriteStatus.PENDING || left <= 0) {
                    return rec;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    @Override
    public Optional<WriteRecord> record(String id) {
        synchronized (lock) {
            return Optional.ofNullable(records.get(id));
        }
    }

    @Override
    public List<WriteRecord> records(int max) {
        synchronized (lock) {
            List<WriteRecord> all = new ArrayList<>(records.values());
            List<WriteRecord> out = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && out.size() < max; i--) {
                out.add(all.get(i));
            }
            return out;
        }
    }

    private WriteRecord keep(WriteRecord rec) {
        synchronized (lock) {
            records.remove(rec.id());
            records.put(rec.id(), rec);
            while (records.size() > KEPT) {
                String oldest = records.keySet().iterator().next();
                if (records.get(oldest).status().terminal()) {
                    records.remove(oldest);
                } else {
                    break;
                }
            }
            lock.notifyAll();
        }
        return rec;
    }

    private WriteRecord refuse(String actor, String role, String source, String address, String action, WriteRecord rec, Refusal why) {
        WriteRecord refused = rec.with(WriteStatus.REFUSED, why.rule(), why.message(), clock.millis());
        try {
            record(actor, role, source, address, action, refused, AuditEvent.REFUSED, why.rule() + ": " + why.message());
        } catch (RuntimeException e) {
            // refused all the same
        }
        return keep(refused);
    }

    private void record(String actor, String role, String source, String address, String action, WriteRecord rec, String result,
            String detail) {
        audit.record(event(actor, role, source, address, action, rec, result, detail));
    }

    private static AuditEvent event(String actor, String role, String source, String address, String action, WriteRecord rec,
            String result, String detail) {
        return new AuditEvent(actor, role, source, address, action, rec.target(), Map.of("value", number(rec.before())),
                Map.of("value", number(rec.value()), "request", rec.id()), result, detail);
    }

    private static double current(Optional<Twin> twin, String tag) {
        return twin.flatMap(t -> t.reported().stream().filter(r -> r.tag().equals(tag)).findFirst()).map(Twin.Reported::number)
                .orElse(Double.NaN);
    }

    private static String who(WriteRecord r) {
        return r.approvedBy().isEmpty() ? r.requestedBy() : r.requestedBy() + ", approved by " + r.approvedBy();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    static String describe(double v, String unit) {
        String n = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        return unit == null || unit.isEmpty() ? n : n + " " + unit;
    }

    private static String text(String s) {
        return s == null ? "" : s.trim();
    }
}
