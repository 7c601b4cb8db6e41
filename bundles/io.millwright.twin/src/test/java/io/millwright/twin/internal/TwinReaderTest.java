package io.millwright.twin.internal;

import static io.millwright.twin.internal.TestPlant.T0;
import static io.millwright.twin.internal.TestPlant.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.alarm.api.Alarm;
import io.millwright.alarm.api.AlarmEvent;
import io.millwright.alarm.api.AlarmState;
import io.millwright.alarm.api.AlarmTransition;
import io.millwright.api.Sample;
import io.millwright.api.StringValue;
import io.millwright.asset.api.OperatingState;
import io.millwright.asset.api.Twin;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.internal.MapDbJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over a real journal and store: the demo's story of a bearing, restarts, shelves, suppression. */
class TwinReaderTest {

    @TempDir
    Path dir;
    private MapDbJournal journal;
    private TestPlant.TestClock clock;
    private TestPlant.Model model;
    private TwinStore store;
    private JournalCursor cursor;
    private TwinReader reader;

    @BeforeEach
    void open() {
        journal = TestPlant.journal(dir.resolve("journal"));
        clock = new TestPlant.TestClock();
        model = TestPlant.pumpModel();
        start();
    }

    private void start() {
        store = TwinStore.open(dir.resolve("twin"), clock);
        cursor = journal.openCursor("twin", StartAt.LATEST);
        reader = new TwinReader(store, cursor, new TestPlant.JournalSink(journal), model, clock);
        reader.onOutcome(outcomes::add);
    }

    /** What the twin told the models (the scoring engine's realised accuracy): trips and maintenances. */
    private final List<Engine.AssetOutcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void stop() {
        reader.close();
        cursor.close();
        store.close();
    }

    @AfterEach
    void close() {
        stop();
        journal.close();
    }

    private void at(long secondsAfterT0, Object... tagValues) throws InterruptedException {
        long t = T0 + secondsAfterT0 * 1000;
        clock.millis = t;
        write(journal, t, tagValues);
        while (reader.step() > 0) {
            // until caught up
        }
    }

    private Alarm alarm(String name) {
        return reader.view(e -> Snapshots.alarm(e.alarmSlots().get("pump-1/" + name)));
    }

    private Twin twin() {
        return reader.view(e -> Snapshots.twin(e.assetSlots().get("pump-1"), clock.millis, e.startedMs()));
    }

    private Alarm act(String name, java.util.function.BiFunction<Engine, Slots.AlarmSlot, AlarmLifecycle.Change> action) {
        return reader.act(e -> {
            var a = e.slot("pump-1/" + name);
            e.act(a, action.apply(e, a), clock.millis);
            return Snapshots.alarm(a);
        });
    }

    @Test
    void theBearingsStoryFromWarningToTripAndRepair() throws Exception {
        at(0, "running", true, "speed", 1480.0, "flow", 120.0, "bearing_temperature", 70.0, "trip_reason", "", "rul_urgency", "NORMAL",
                "lineage", "model=pump-bearing-rul version=3 sha256=ab");
        assertThat(twin().operatingState()).isEqualTo(OperatingState.RUNNING);
        assertThat(twin().health().model()).isEqualTo("pump-bearing-rul@3");
        assertThat(states()).containsExactly(AlarmState.NORMAL);

        at(10, "speed", 1480.0, "rul_urgency", "WARNING");
        Alarm rul = alarm("rul_urgency");
        assertThat(rul.state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(rul.priority()).isEqualTo(3);
        assertThat(rul.firstOut()).isTrue();
        assertThat(rul.runbook().text()).isEqualTo("Plan a bearing change");
        assertThat(twin().health().activeAlarms()).containsEntry(3, 1);

        rul = act("rul_urgency", (e, a) -> AlarmLifecycle.acknowledge(a.id, a.rec, clock.millis, "olga", "bearing ordered"));
        assertThat(rul.state()).isEqualTo(AlarmState.ACKNOWLEDGED);

        at(20, "speed", 1480.0, "rul_urgency", "CRITICAL");
        rul = alarm("rul_urgency");
        assertThat(rul.state()).as("escalation asks for a new acknowledgement").isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(rul.priority()).isEqualTo(1);
        act("rul_urgency", (e, a) -> AlarmLifecycle.acknowledge(a.id, a.rec, clock.millis, "olga", ""));

        assertThat(outcomes).isEmpty();
        at(30, "running", false, "speed", 0.0, "flow", 0.0, "trip_reason", "bearing failure: outer race defect");
        assertThat(outcomes).as("the trip, told to the models as a failure at its time").containsExactly(new Engine.AssetOutcome("pump-1", T0 + 30_000, true));
        assertThat(twin().operatingState()).isEqualTo(OperatingState.TRIPPED);
        assertThat(alarm("trip").state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(alarm("trip").priority()).isEqualTo(1);
        Alarm flow = alarm("flow_lo");
        assertThat(flow.active()).as("the condition is there").isTrue();
        assertThat(flow.state()).as("but a tripped pump's low flow is suppressed by design").isEqualTo(AlarmState.SUPPRESSED_BY_DESIGN);

        act("trip", (e, a) -> AlarmLifecycle.acknowledge(a.id, a.rec, clock.millis, "olga", "bearing change under way"));
        at(40, "running", true, "speed", 1480.0, "flow", 120.0, "trip_reason", "", "rul_urgency", "NORMAL");
        assertThat(twin().operatingState()).isEqualTo(OperatingState.RUNNING);
        assertThat(states())
                .as("the trip and repair return everything to normal").containsExactly(AlarmState.NORMAL);

        List<AlarmEvent> log = store.events(0, 1000);
        assertThat(log).extracting(e -> e.alarmId() + " " + e.transition()).containsSubsequence(
                "pump-1/rul_urgency ACTIVATED", "pump-1/rul_urgency ACKNOWLEDGED", "pump-1/rul_urgency ESCALATED",
                "pump-1/rul_urgency ACKNOWLEDGED", "pump-1/trip ACTIVATED", "pump-1/trip ACKNOWLEDGED", "pump-1/trip CLEARED",
                "pump-1/rul_urgency CLEARED");
        assertThat(log).extracting(AlarmEvent::sequence).isSorted().doesNotHaveDuplicates();
        // the correlation id: the score (model channel and window end) that activated the episode, on all its transitions
        List<AlarmEvent> rulEpisode = log.stream().filter(e -> e.alarmId().equals("pump-1/rul_urgency")).toList();
        String cid = rulEpisode.get(0).correlationId();
        assertThat(cid).matches("pump-1/s\\.pump-bearing\\.rul@\\d+");
        assertThat(Long.parseLong(cid.substring(cid.indexOf('@') + 1)) / 1000).as("the activating sample's source time")
                .isEqualTo(rulEpisode.get(0).timeMs());
        assertThat(rulEpisode).extracting(AlarmEvent::correlationId).containsOnly(cid);
        assertThat(log.stream().filter(e -> e.alarmId().equals("pump-1/trip")).map(AlarmEvent::correlationId).distinct().toList())
                .singleElement().asString().startsWith("pump-1/trip_reason@");
        assertThat(log.get(log.size() - 1).sequence()).isEqualTo(log.size());
        assertThat(log).filteredOn(e -> e.transition() == AlarmTransition.ACKNOWLEDGED).extracting(AlarmEvent::actor).containsOnly("olga");

        List<String> journaled = texts("pump-1/twin.state");
        assertThat(journaled).containsSubsequence("TRIPPED", "RUNNING");
        assertThat(texts("pump-1/alarm.rul_urgency")).anySatisfy(t -> assertThat(t).startsWith("UNACKNOWLEDGED p1 ESCALATED: rul_urgency is CRITICAL"));
        assertThat(texts("pump-1/twin.health")).anySatisfy(t -> assertThat(t).contains("urgency=CRITICAL"));
    }

    @Test
    void statesAndRunningTimersSurviveARestart() throws Exception {
        at(0, "running", true, "speed", 1480.0, "bearing_temperature", 90.0);
        assertThat(alarm("bearing_temperature_hi").state()).as("on-delay of 10 s running").isEqualTo(AlarmState.NORMAL);
        act("flow_lo", (e, a) -> AlarmLifecycle.shelve(a.id, a.rec, clock.millis, "olga", "flow meter swap", clock.millis + 60_000));
        long events = store.eventSequence();
        stop();
        start();
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.SHELVED);
        assertThat(alarm("flow_lo").shelf().by()).isEqualTo("olga");
        at(5, "bearing_temperature", 91.0);
        assertThat(alarm("bearing_temperature_hi").state()).isEqualTo(AlarmState.NORMAL);
        at(10, "bearing_temperature", 92.0);
        Alarm hi = alarm("bearing_temperature_hi");
        assertThat(hi.state()).as("the on-delay counted from before the restart").isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(hi.message()).isEqualTo("bearing_temperature 92 Cel > 85 Cel (HI) for 10 s");
        assertThat(store.eventSequence()).isGreaterThan(events);
        assertThat(store.events(0, 1000)).extracting(AlarmEvent::sequence).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aModelThatArrivesPieceByPieceAfterARestartFindsItsStates() throws Exception {
        at(0, "running", true, "speed", 1480.0, "flow", 120.0);
        act("trip", (e, a) -> AlarmLifecycle.shelve(a.id, a.rec, clock.millis, "olga", "valve work", clock.millis + 60_000));
        reader.act(e -> {
            e.startMaintenance(e.asset("pump-1"), "mia", "seal change", clock.millis);
            return null;
        });
        stop();
        var full = model.assets;
        model.assets = List.of(); // the configurations have not arrived yet
        start();
        int configured = reader.view(e -> e.alarmSlots().size());
        assertThat(configured).isZero();
        at(1, "speed", 1480.0);
        model.assets = full;
        model.revision++;
        at(2, "speed", 1480.0);
        assertThat(alarm("trip").state()).isEqualTo(AlarmState.SHELVED);
        assertThat(twin().operatingState()).isEqualTo(OperatingState.MAINTENANCE);
        assertThat(twin().maintenance().note()).isEqualTo("seal change");
    }

    @Test
    void aShelfExpiresByItselfAndAnActiveConditionIsAnnunciatedAfresh() throws Exception {
        at(0, "running", true, "speed", 1480.0, "flow", 20.0);
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        act("flow_lo", (e, a) -> AlarmLifecycle.shelve(a.id, a.rec, clock.millis, "olga", "known: valve closed for a test", clock.millis + 30_000));
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.SHELVED);
        at(29, "flow", 21.0);
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.SHELVED);
        at(31, "flow", 22.0);
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(store.events(0, 100)).extracting(AlarmEvent::transition).contains(AlarmTransition.SHELF_EXPIRED);
    }

    @Test
    void maintenanceSuppressesByDesignAndIsRecordedAsTheLastMaintenance() throws Exception {
        at(0, "running", true, "speed", 1480.0, "flow", 20.0);
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        reader.act(e -> {
            e.startMaintenance(e.asset("pump-1"), "mia", "impeller inspection", clock.millis);
            return null;
        });
        assertThat(twin().operatingState()).isEqualTo(OperatingState.MAINTENANCE);
        assertThat(alarm("flow_lo").state()).isEqualTo(AlarmState.SUPPRESSED_BY_DESIGN);
        at(60, "flow", 120.0);
        assertThat(outcomes).as("the maintenance, told to the models").containsExactly(new Engine.AssetOutcome("pump-1", T0, false));
        reader.act(e -> {
            e.endMaintenance(e.asset("pump-1"), "mia", "impeller fine", clock.millis);
            return null;
        });
        Twin t = twin();
        assertThat(t.operatingState()).isEqualTo(OperatingState.RUNNING);
        assertThat(t.lastMaintenance().note()).isEqualTo("impeller inspection");
        assertThat(t.lastMaintenance().endNote()).isEqualTo("impeller fine");
        assertThat(alarm("flow_lo").state()).as("cleared while suppressed: back to normal").isEqualTo(AlarmState.NORMAL);
    }

    @Test
    void aSilentTagGoesStaleAgainstTheClockAndComesBack() throws Exception {
        at(0, "running", true, "speed", 1480.0);
        clock.millis = T0 + 5_000;
        reader.step();
        assertThat(alarm("speed_stale").state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(alarm("speed_stale").message()).contains("no sample for 5 s");
        assertThat(twin().health().staleTags()).contains("speed");
        at(6, "speed", 1480.0);
        assertThat(alarm("speed_stale").state()).isEqualTo(AlarmState.RTN_UNACKNOWLEDGED);
    }

    private List<AlarmState> states() {
        return reader.view(e -> e.alarmSlots().values().stream().map(a -> a.rec.state).distinct().toList());
    }

    private List<String> texts(String channel) {
        List<String> out = new ArrayList<>();
        try (JournalCursor c = journal.openCursor("check", StartAt.EARLIEST)) {
            long from = c.position();
            while (true) {
                JournalRead r = c.readFrom(from, 10_000);
                if (r.entries().isEmpty()) {
                    break;
                }
                for (JournalEntry e : r.entries()) {
                    for (Sample s : e.samples()) {
                        if (s.channel().toString().equals(channel)) {
                            out.add(((StringValue) s.value()).value());
                        }
                    }
                }
                from = r.nextPosition();
            }
        }
        journal.deleteCursor("check");
        return out;
    }
}
