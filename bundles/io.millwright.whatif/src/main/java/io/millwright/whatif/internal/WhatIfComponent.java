package io.millwright.whatif.internal;

import io.millwright.analytics.api.ScoringModel;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.Value;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.AssetTag;
import io.millwright.asset.api.Twin;
import io.millwright.asset.api.Twins;
import io.millwright.features.FeatureExtractor;
import io.millwright.ingest.api.SampleSink;
import io.millwright.kpi.api.Kpis;
import io.millwright.whatif.api.AssetPhysics;
import io.millwright.whatif.api.Scenario;
import io.millwright.whatif.api.ScenarioResult;
import io.millwright.whatif.api.WhatIf;
import io.millwright.whatif.api.WhatIfReport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WhatIf} service (PID {@value #PID}): finds the physics that covers the asset ({@link AssetPhysics}
 * services) and the model that scores it (the twin's {@code health.model} among the {@link ScoringModel} services),
 * runs the baseline and each scenario on its own threads ({@code whatif-<n>}), bounded in time, prices them with the
 * asset's cost model (KPIs), and journals the report's figures as {@code <asset>/whatif.report}. Never touches a device.
 */
@Component(configurationPid = WhatIfComponent.PID, service = WhatIf.class, immediate = true)
@Designate(ocd = WhatIfComponent.Config.class)
public final class WhatIfComponent implements WhatIf {

    static final String PID = "io.millwright.whatif";
    private static final Logger LOG = LoggerFactory.getLogger(WhatIfComponent.class);

    /** Bounds of a run. */
    @ObjectClassDefinition(name = "Millwright what-if", description = "Scenario simulation from the twin's state")
    public @interface Config {
        /** @return threads */
        @AttributeDefinition(min = "1", max = "8", description = "Threads running scenarios (1-8)")
        int threads() default 1;

        /** @return max scenarios */
        @AttributeDefinition(min = "1", max = "32", description = "Most scenarios per request, besides the baseline")
        int maxScenarios() default 8;

        /** @return max horizon */
        @AttributeDefinition(min = "1", max = "3650", description = "Longest horizon, plant days")
        int maxHorizonDays() default 365;

        /** @return timeout */
        @AttributeDefinition(min = "1", max = "600", description = "Longest a request may compute, seconds")
        int timeoutSeconds() default 30;
    }

    private final Twins twins;
    private final AssetModel model;
    private final SampleSink sink;
    private final Config config;
    private final ExecutorService threads;
    private final Map<AssetPhysics, Boolean> physics = new ConcurrentHashMap<>();
    private final Map<ScoringModel, Boolean> models = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Kpis kpis;

    /**
     * @param twins the twins
     * @param model the asset model
     * @param sink where reports are journaled
     * @param config bounds
     */
    @Activate
    public WhatIfComponent(@Reference Twins twins, @Reference AssetModel model, @Reference SampleSink sink, Config config) {
        this.twins = twins;
        this.model = model;
        this.sink = sink;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "whatif-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** @param p a physics */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPhysics(AssetPhysics p) {
        physics.put(p, Boolean.TRUE);
    }

    void removePhysics(AssetPhysics p) {
        physics.remove(p);
    }

    /** @param m a scoring model */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModel(ScoringModel m) {
        models.put(m, Boolean.TRUE);
    }

    void removeModel(ScoringModel m) {
        models.remove(m);
    }

    @Override
    public WhatIfReport run(String assetId, List<Scenario> scenarios, Duration horizon) {
        long started = System.nanoTime();
        Asset asset = model.asset(assetId).orElseThrow(() -> new NoSuchElementException("no asset '" + assetId + "' in the asset model"));
        if (horizon.isNegative() || horizon.isZero() || horizon.toDays() > config.maxHorizonDays()) {
            throw new IllegalArgumentException("horizonHours: " + horizon.toHours() + " h — must be > 0 and at most " + config.maxHorizonDays()
                    + " days");
        }
        if (scenarios.size() > config.maxScenarios()) {
            throw new IllegalArgumentException("scenarios: " + scenarios.size() + " — at most " + config.maxScenarios() + " per request");
        }
        for (Scenario s : scenarios) {
            for (String tag : s.setpoints().keySet()) {
                if (asset.tag(tag).filter(AssetTag::writable).isEmpty()) {
                    throw new IllegalArgumentException("setpoints: '" + tag + "' of scenario '" + s.name() + "' is not a writable tag of " + assetId);
                }
            }
        }
        AssetPhysics p = physics.keySet().stream().filter(x -> x.covers(assetId, asset.assetClass())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no physics models " + assetId + " (class " + asset.assetClass()
                        + "): install an AssetPhysics service for it"));
        Twin twin = twins.twin(assetId).orElseThrow(() -> new IllegalStateException(assetId + " has no twin state yet"));
        Map<String, Double> reported = new HashMap<>();
        twin.reported().stream().filter(r -> Double.isFinite(r.number())).forEach(r -> reported.put(r.tag(), r.number()));
        ScoringModel scoring = models.keySet().stream().filter(m -> (m.id() + "@" + m.version()).equals(twin.health().model())).findFirst()
                .orElse(null);
        FeatureExtractor extractor = scoring == null ? null : new FeatureExtractor(scoring.featureSet());
        String unit = asset.tag("production_count").map(AssetTag::unit).orElse("");
        Kpis k = kpis;
        ScenarioRunner.Inputs inputs = new ScenarioRunner.Inputs(extractor, scoring == null ? null : v -> scoring.score(v).result(),
                k == null ? null : k.costModel(assetId).orElse(null), unit);
        double startRul = twin.health().rul();
        List<Scenario> all = new ArrayList<>();
        all.add(Scenario.baseline());
        all.addAll(scenarios);
        long seed = clock.millis();
        long startMicros = clock.millis() * 1000;
        List<Future<ScenarioResult>> futures = new ArrayList<>();
        AssetPhysics.Cadence cadence = null;
        for (Scenario s : all) {
            AssetPhysics.Run run = p.start(assetId, reported, startRul, seed); // handed to its thread by submit
            cadence = run.cadence();
            futures.add(threads.submit(() -> ScenarioRunner.run(assetId, run, s, horizon, inputs, startMicros)));
        }
        double plantSecondsPerSecond = cadence.sampleIntervalSeconds() > 0 ? cadence.physicsSecondsPerSample() / cadence.sampleIntervalSeconds() : 1;
        List<ScenarioResult> results = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.timeoutSeconds());
        try {
            for (Future<ScenarioResult> f : futures) {
                results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("the what-if of " + assetId + " took longer than " + config.timeoutSeconds()
                    + " s (timeoutSeconds of " + PID + "): fewer scenarios or a shorter horizon");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("the what-if of " + assetId + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        WhatIfReport report = new WhatIfReport(assetId, clock.millis(), twin.updatedMs(), horizon.toMillis() / 3_600_000.0,
                p.id() + "@" + p.version(), scoring == null ? "" : scoring.id() + "@" + scoring.version(),
                scoring == null ? "" : scoring.featureSet().id(), startRul, (System.nanoTime() - started) / 1_000_000,
                ScenarioRunner.compared(results), plantSecondsPerSecond);
        journal(report);
        return report;
    }

    /** The report's figures per scenario, as one JSON text on {@code <asset>/whatif.report}. */
    private void journal(WhatIfReport r) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"horizonHours\":").append(num(r.horizonHours())).append(",\"physics\":\"").append(text(r.physics()))
                .append("\",\"model\":\"").append(text(r.model())).append("\",\"twinTimeMs\":").append(r.twinTimeMs()).append(",\"results\":[");
        for (int i = 0; i < r.results().size(); i++) {
            ScenarioResult s = r.results().get(i);
            json.append(i == 0 ? "" : ",").append("{\"scenario\":\"").append(text(s.scenario())).append("\",\"setpoints\":\"")
                    .append(text(s.setpoints().toString())).append("\",\"projectedRulHours\":").append(num(s.projectedRulHours()))
                    .append(",\"urgency\":\"").append(s.urgency()).append("\",\"output\":").append(num(s.output())).append(",\"energyKwh\":")
                    .append(num(s.energyKwh())).append(",\"costDelta\":").append(num(s.costDelta())).append('}');
        }
        json.append("]}");
        try {
            var result = sink.submit(new SampleBatch("whatif", List.of(Sample.of(new ChannelId(r.asset(), "whatif.report"), r.timeMs() * 1000,
                    Value.of(json.toString()), Quality.GOOD))));
            if (result != io.millwright.ingest.api.SubmitResult.ACCEPTED) {
                LOG.warn("what-if of {}: report not journaled: ingest answered {}", r.asset(), result);
            }
        } catch (RuntimeException e) {
            LOG.warn("what-if of {}: report not journaled: {}", r.asset(), e.toString());
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** Scenario names are restricted to letters, digits, space and . _ -; the rest is escaped for safety. */
    private static String text(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Deactivate
    void deactivate() {
        threads.shutdownNow();
    }
}
