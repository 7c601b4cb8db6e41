package io.millwright.optimizer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.audit.api.AuditEvent;
import io.millwright.identity.api.Role;
import io.millwright.optimizer.api.Envelope;
import io.millwright.optimizer.api.OptimizerStatus;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import io.millwright.whatif.api.WhatIfReport;
import io.millwright.write.api.Interlock;
import io.millwright.write.api.WritePolicy;
import io.millwright.write.api.WriteRecord;
import io.millwright.write.api.WriteRequest;
import io.millwright.write.api.WriteStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's state machine, tick by tick on a clock of the test's own: what stops it (and whether it reverts), the
 * revert in the policy's steps retried while a rule refuses it, a person's write, and its state persisted and read back
 * as after a restart. The plant here is a twin whose values the test sets and a guard that records what it is asked
 * (the real guard, what-if and simulated plant run in the integration test and the simulated month).
 */
class AssetOptimizerTest {

    static final Envelope ENVELOPE = new Envelope("speed_setpoint", 1100, 1750, 3000, 240, 10, 8, 0.5);
    static final WritePolicy POLICY = new WritePolicy("pump-1", "speed_setpoint", Role.OPERATOR, 1000, 1750, 150, 0, 0,
            List.of(Interlock.parse("running")), Duration.ofSeconds(10), 1, false);

    final Map<String, Double> values = new HashMap<>();
    final Map<Integer, Integer> alarms = new HashMap<>();
    String model = "pump-bearing-rul@1.0.0";
    String refuseWith = "";
    final List<WriteRecord> records = new ArrayList<>();
    final List<AuditEvent> audit = new ArrayList<>();
    final List<Map<String, Object>> persisted = new ArrayList<>();
    final AtomicInteger ids = new AtomicInteger();
    AssetOptimizer optimizer;

    @BeforeEach
    void plant() {
        values.put("speed_setpoint", 1480.0);
        values.put("bearing_temperature", 70.0);
        optimizer = new AssetOptimizer("pump-1", new AssetOptimizer.Services() {
            @Override
            public Optional<Twin> twin(String asset) {
                List<Twin.Reported> reported = new ArrayList<>();
                values.forEach((tag, v) -> reported.add(new Twin.Reported(tag, v, "", "", "GOOD", "", 0, false)));
                return Optional.of(new Twin(asset, reported, List.of(), OperatingState.RUNNING, 0,
                        new Twin.Health(1, List.of(), List.of(), Map.copyOf(alarms), 300, "h", "NORMAL", model), null, null, 0));
            }

            @Override
            public WhatIfReport whatIf(String asset, List<Scenario> scenarios, Duration horizon) {
                // output grows with speed; the life holds the target up to 1630 rpm
                List<ScenarioResult> results = new ArrayList<>();
                List<Double> speeds = new ArrayList<>();
                speeds.add(values.get("speed_setpoint"));
                scenarios.forEach(s -> speeds.add(s.setpoints().get("speed_setpoint")));
                for (double v : speeds) {
                    double life = v <= 1630 ? Double.NaN : 200;
                    results.add(new ScenarioResult("s", Map.of(), 1, Double.NaN, "", Double.NaN, life, v * 240, "L", 1, 1, 1, 1, 0, Double.NaN,
                            Double.NaN, Double.NaN, Double.NaN, List.of(new ScenarioResult.Point(10, Double.NaN, 1.0, 70.0))));
                }
                return new WhatIfReport(asset, 0, 0, 240, "physics@1", model, "fs@1", 300, 1, results, 3600);
            }

            @Override
            public WriteRecord submit(WriteRequest r) {
                double before = values.get(r.tag());
                WriteStatus status = refuseWith.isEmpty() ? WriteStatus.CONFIRMED : WriteStatus.REFUSED;
                WriteRecord rec = new WriteRecord("w" + ids.incrementAndGet(), r.asset(), r.tag(), r.value(), "rpm", before, status, refuseWith,
                        refuseWith.isEmpty() ? "confirmed" : "refused", r.actor(), "", false, r.reason(), clock, clock, r.value(), "sim", r.value());
                records.add(0, rec);
                if (refuseWith.isEmpty()) {
                    values.put(r.tag(), r.value());
                }
                return rec;
            }

            @Override
            public List<WriteRecord> records(int max) {
                return List.copyOf(records.subList(0, Math.min(max, records.size())));
            }

            @Override
            public Optional<WritePolicy> policy(String asset, String tag) {
                return Optional.of(POLICY);
            }

            @Override
            public void audit(AuditEvent event) {
                audit.add(event);
            }

            @Override
            public void persist(String asset, Map<String, Object> properties) {
                persisted.add(properties);
            }
        });
    }

    long clock = 1_000_000;

    void tick(long seconds) {
        for (long i = 0; i < seconds; i++) {
            clock += 1000;
            optimizer.tick(clock);
        }
    }

    @Test
    void itSpeedsUpWithinTheStepAndTheTargetThenStopsOnAPriority1AlarmAndRevertsOnceTheGuardAllows() {
        optimizer.enable(ENVELOPE, "engineer1", 1480, clock);
        tick(1);
        assertThat(values.get("speed_setpoint")).as("one policy step up: the most output, life beyond the target").isEqualTo(1630);
        assertThat(records.get(0).requestedBy()).isEqualTo("optimizer:pump-1");
        assertThat(records.get(0).reason()).startsWith("optimizer: 1480 → 1630: the most output");
        tick(10);
        assertThat(values.get("speed_setpoint")).as("1705 would not last 240 h").isEqualTo(1630);
        OptimizerStatus s = optimizer.status(values.get("speed_setpoint"));
        assertThat(s.decisions().get(0).why()).startsWith("keep 1630");
        assertThat(s.lastCheck()).contains("bearing temperature 70.0 °C observed, 70.0 °C projected");

        alarms.put(1, 1);
        refuseWith = "interlock:running";
        tick(2); // stopped at the first tick, the revert's first try at the next
        s = optimizer.status(1630);
        assertThat(s.state()).isEqualTo(OptimizerStatus.State.STOPPED);
        assertThat(s.stoppedBy()).isEqualTo("p1-alarm");
        assertThat(s.revert()).startsWith("pending: refused by interlock:running");
        assertThat(audit).anySatisfy(e -> assertThat(e.action() + " " + e.detail()).isEqualTo("optimizer.stop p1-alarm: 1 priority-1 alarm active on pump-1"));
        int refusals = records.size();
        tick(9);
        assertThat(records.size()).as("backed off: no request within the back-off of 10 s").isEqualTo(refusals);
        refuseWith = "";
        alarms.put(1, 0);
        tick(2);
        assertThat(values.get("speed_setpoint")).as("the revert: one policy step of 150 at a time").isEqualTo(1480);
        tick(1);
        s = optimizer.status(1480);
        assertThat(s.revert()).startsWith("done: back at 1480");
        assertThat(audit).anySatisfy(e -> assertThat(e.action()).isEqualTo("optimizer.revert"));
        tick(30);
        assertThat(values.get("speed_setpoint")).as("stopped: it writes nothing more").isEqualTo(1480);
    }

    @Test
    void aModelSwitchStopsAndReverts() {
        optimizer.enable(ENVELOPE, "engineer1", 1480, clock);
        tick(1);
        model = "pump-bearing-rul@2.0.0";
        tick(1);
        OptimizerStatus s = optimizer.status(values.get("speed_setpoint"));
        assertThat(s.stoppedBy()).isEqualTo("model-switch");
        assertThat(s.stopReason()).isEqualTo("the scoring model changed from pump-bearing-rul@1.0.0 to pump-bearing-rul@2.0.0");
        tick(2);
        assertThat(values.get("speed_setpoint")).isEqualTo(1480);
    }

    @Test
    void aMismatchBetweenTheProjectionAndTheTwinStopsAndReverts() {
        optimizer.enable(ENVELOPE, "engineer1", 1480, clock);
        tick(1);
        values.put("bearing_temperature", 80.0);
        tick(10);
        OptimizerStatus s = optimizer.status(values.get("speed_setpoint"));
        assertThat(s.stoppedBy()).isEqualTo("mismatch");
        assertThat(s.stopReason()).isEqualTo("bearing temperature observed 80.0 °C, projected 70.0 °C after 10.0 plant h (tolerance 8.0 °C)");
        tick(2);
        assertThat(values.get("speed_setpoint")).isEqualTo(1480);
    }

    @Test
    void aPersonsWriteStopsItAndTheirValueIsKept() {
        optimizer.enable(ENVELOPE, "engineer1", 1480, clock);
        tick(1);
        clock += 1;
        records.add(0, new WriteRecord("h1", "pump-1", "speed_setpoint", 1550, "rpm", 1630, WriteStatus.CONFIRMED, "", "confirmed", "operator1", "",
                false, "by hand", clock, clock, 1550, "sim", 1550));
        values.put("speed_setpoint", 1550.0);
        tick(1);
        OptimizerStatus s = optimizer.status(1550);
        assertThat(s.stoppedBy()).isEqualTo("human-write");
        assertThat(s.humanValue()).isEqualTo(1550);
        assertThat(s.revert()).isEmpty();
        tick(20);
        assertThat(values.get("speed_setpoint")).isEqualTo(1550);
    }

    @Test
    void itsStateIsPersistedAndReadBackAsAfterARestart() {
        optimizer.enable(ENVELOPE, "engineer1", 1480, clock);
        tick(1);
        optimizer.stop("operator1", "kill switch: noise", true, clock);
        Map<String, Object> saved = persisted.get(persisted.size() - 1);
        assertThat(saved).containsEntry("enabled", false).containsEntry("stoppedBy", "operator1").containsEntry("revertPending", true)
                .containsEntry("humanValue", 1480.0).containsEntry("min", 1100.0);
        plant(); // a new optimizer, as after a restart
        optimizer.configure(saved);
        OptimizerStatus s = optimizer.status(1630);
        assertThat(s.state()).isEqualTo(OptimizerStatus.State.STOPPED);
        assertThat(s.stopReason()).isEqualTo("kill switch: noise");
        assertThat(s.envelope()).isEqualTo(ENVELOPE);
        values.put("speed_setpoint", 1630.0);
        tick(2);
        assertThat(values.get("speed_setpoint")).as("the revert due before the restart is carried out").isEqualTo(1480);
        Map<String, Object> older = new HashMap<>(saved);
        older.put("stoppedBy", "someone else");
        optimizer.configure(older);
        assertThat(optimizer.status(1480).stoppedBy()).as("an update older than its own last write is ignored").isEqualTo("operator1");
    }

    @Test
    void aBadConfigurationIsReportedNamingTheValue() {
        optimizer.configure(Map.of("asset", "pump-1", "min", 1800.0, "max", 1700.0, "maxChangePerHour", 100.0, "enabled", true));
        OptimizerStatus s = optimizer.status(1480);
        assertThat(s.state()).isEqualTo(OptimizerStatus.State.OFF);
        assertThat(s.problem()).isEqualTo("io.millwright.optimizer~pump-1: min: 1800.0 and max: 1700.0 — need finite numbers with min < max");
    }
}
