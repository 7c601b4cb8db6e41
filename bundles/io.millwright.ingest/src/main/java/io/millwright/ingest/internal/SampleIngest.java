package io.millwright.ingest.internal;

import io.millwright.api.ChannelId;
import io.millwright.api.Clocks;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.IngestStatistics.Counts;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.AppendResult;
import io.millwright.journal.api.Journal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link SampleSink}: validates samples against what their devices declared, stamps
 * ingest time and quality, and appends them to the journal. Returns at once; when the journal's
 * queue is full the batch is refused as an overrun and counted.
 */
@Component(configurationPid = SampleIngest.PID, service = SampleSink.class, immediate = true)
@Designate(ocd = SampleIngest.Config.class)
public final class SampleIngest implements SampleSink {

    static final String PID = "io.millwright.ingest";
    private static final Logger LOG = LoggerFactory.getLogger(SampleIngest.class);

    /** Ingest configuration. */
    @ObjectClassDefinition(name = "Millwright ingest", description = "Validation of samples before the journal")
    public @interface Config {
        /** @return how far a source timestamp may lie in the future before it is marked UNCERTAIN, ms */
        @AttributeDefinition(min = "0", max = "86400000", description = "How far a source timestamp may lie in the future before the sample is marked UNCERTAIN, in ms (0-86400000)")
        long maxFutureSkewMs() default 300_000;
    }

    private final Journal journal;
    private final Clock clock;
    private volatile SampleValidator validator;
    private final ConcurrentHashMap<String, SourceCounters> counters = new ConcurrentHashMap<>();
    private final List<Device> devices = new CopyOnWriteArrayList<>();
    private volatile Map<ChannelId, ChannelDescriptor> declared = Map.of();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param journal where accepted samples go
     * @param config the configuration
     */
    @Activate
    public SampleIngest(@Reference Journal journal, Config config) {
        this(journal, config, Clock.systemUTC());
    }

    SampleIngest(Journal journal, Config config, Clock clock) {
        this.journal = journal;
        this.clock = clock;
        this.validator = validator(config);
    }

    private static SampleValidator validator(Config config) {
        if (config.maxFutureSkewMs() < 0 || config.maxFutureSkewMs() > 86_400_000) {
            throw new IllegalArgumentException("configuration " + PID + ": maxFutureSkewMs=" + config.maxFutureSkewMs()
                    + ": must be 0..86400000");
        }
        return new SampleValidator(config.maxFutureSkewMs() * 1000);
    }

    /**
     * Takes a configuration change in place; an invalid change is logged and the previous settings stay.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(Config config) {
        try {
            validator = validator(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the previous settings", e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device) {
        devices.add(device);
        rebuildDeclarations();
    }

    void updatedDevice(Device device) {
        rebuildDeclarations();
    }

    void unbindDevice(Device device) {
        devices.remove(device);
        rebuildDeclarations();
    }

    private void rebuildDeclarations() {
        Map<ChannelId, ChannelDescriptor> map = new HashMap<>();
        for (Device d : devices) {
            try {
                for (ChannelDescriptor c : d.channels()) {
                    map.put(c.id(), c);
                }
            } catch (RuntimeException e) {
                LOG.warn("device {} failed to list its channels; its samples are checked without declarations", d, e);
            }
        }
        declared = Map.copyOf(map);
    }

    @Override
    public SubmitResult submit(SampleBatch batch) {
        SourceCounters c = counters.computeIfAbsent(batch.source(), s -> new SourceCounters());
        long now = Clocks.micros(clock);
        Map<ChannelId, ChannelDescriptor> decl = declared;
        SampleValidator check = validator;
        List<Sample> accepted = new ArrayList<>(batch.size());
        int rejected = 0;
        int bad = 0;
        int uncertain = 0;
        for (Sample s : batch.samples()) {
            SampleValidator.Verdict v = check.check(s, decl.get(s.channel()), now);
            if (v.rejected()) {
                rejected++;
                c.lastRejection = v.quality().reason();
                if (warned.add(s.channel() + ":" + s.value().type())) {
                    LOG.warn("device {}: sample rejected: {}", batch.source(), v.quality().reason());
                }
                continue;
            }
            if (v.quality().level() == QualityLevel.BAD) {
                bad++;
            } else if (v.quality().level() == QualityLevel.UNCERTAIN) {
                uncertain++;
            }
            accepted.add(s.ingested(now, v.quality()));
        }
        c.rejected.add(rejected);
        if (accepted.isEmpty()) {
            return SubmitResult.ACCEPTED;
        }
        AppendResult result = journal.append(new SampleBatch(batch.source(), accepted));
        if (!result.accepted()) {
            c.overruns.increment();
            c.overrunSamples.add(batch.size());
            return result.diskFull() ? SubmitResult.DISK_FULL : SubmitResult.OVERRUN;
        }
        c.accepted.add(accepted.size());
        c.bad.add(bad);
        c.uncertain.add(uncertain);
        return SubmitResult.ACCEPTED;
    }

    @Override
    public IngestStatistics statistics() {
        Map<String, Counts> bySource = new HashMap<>();
        counters.forEach((source, c) -> bySource.put(source, c.snapshot()));
        return new IngestStatistics(SourceCounters.sum(bySource.values()), bySource);
    }
}
