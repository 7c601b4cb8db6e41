package io.millwright.itests;

import static io.millwright.itests.FrameworkChecks.await;
import static io.millwright.itests.FrameworkChecks.drainAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.analytics.api.ModelKind;
import io.millwright.analytics.api.Score;
import io.millwright.analytics.api.ScoringModel;
import io.millwright.analytics.api.Urgency;
import io.millwright.analytics.api.UrgencyPolicy;
import io.millwright.api.Sample;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Streaming features in the distribution's Felix framework on the simulated plant: a feature set over pump-1 is
 * configured, its windows' features reach the journal, and a scoring model service that declares the feature set
 * scores every window with its lineage. (The model here is a plain rule, a {@code ScoringModel} like any other; the
 * Weka engine is tested in its own module.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureStreamIT {

    private static final long SECOND = 1_000_000L;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    /** Remaining useful life falling with vibration: 500 h at 0 RMS, 10 h less per 0.01 m/s² of RMS. */
    private static final class VibrationRule implements ScoringModel {
        private final FeatureSetDefinition set;

        VibrationRule(FeatureSetDefinition set) {
            this.set = set;
        }

        @Override public String id() { return "pump-rule"; }
        @Override public String version() { return "1.0.0"; }
        @Override public String sha256() { return "0".repeat(64); }
        @Override public ModelKind kind() { return ModelKind.REMAINING_USEFUL_LIFE; }
        @Override public FeatureSetDefinition featureSet() { return set; }

        @Override
        public Score score(FeatureVector v) {
            double hours = Math.max(0, 500 - 1000 * v.value("vibration.rms"));
            Urgency u = UrgencyPolicy.DEFAULT.of(Duration.ofMinutes((long) (hours * 60)));
            return new Score(v.asset(), id(), version(), sha256(), kind(), set.name(), set.version(), v.window(), UrgencyPolicy.DEFAULT.describe(),
                    hours, u.name(), u, u == Urgency.NORMAL ? "No action" : "Plan maintenance");
        }
    }

    @Test
    public void windowsOfThePlantBecomeFeaturesAndScoresWithLineageInTheJournal() throws Exception {
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        JournalCursor reader = journal.openCursor("it-features", StartAt.LATEST);
        FeatureSetDefinition set = new FeatureSetDefinition("pump-it", 1, 10 * SECOND, 10 * SECOND,
                List.of("speed.mean", "speed.std", "vibration.rms", "vibration.kurtosis", "vibration.band_10_500"));
        ServiceRegistration<ScoringModel> model = context.registerService(ScoringModel.class, new VibrationRule(set),
                new Hashtable<>(Map.of(ScoringModel.MODEL_ID, "pump-rule")));
        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.millwright.features.stream", "it", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("featureSet", "pump-it");
        props.put("version", 1);
        props.put("windowSeconds", 10);
        props.put("hopSeconds", 10);
        props.put("features", set.features().toArray(new String[0]));
        props.put("assets", new String[] {"pump-1"});
        props.put("pollIntervalMs", 200);
        config.update(props);
        try {
            List<Sample> seen = new ArrayList<>();
            await("three scored windows in the journal", 90, () -> {
                drainAll(reader, seen);
                return seen.stream().filter(s -> s.channel().toString().equals("pump-1/s.pump-it.pump-rule.lineage")).count() >= 3
                        && seen.stream().filter(s -> s.channel().toString().equals("pump-1/f.pump-bearing.vibration.rms")).count() >= 6;
            });
            Map<String, List<Sample>> byChannel = seen.stream().filter(s -> s.channel().asset().equals("pump-1"))
                    .collect(Collectors.groupingBy(s -> s.channel().tag(), TreeMap::new, Collectors.toList()));
            assertThat(byChannel).containsKeys("f.pump-it.speed.mean", "f.pump-it.vibration.rms", "f.pump-it.vibration.kurtosis",
                    "f.pump-it.vibration.band_10_500", "s.pump-it.pump-rule.result", "s.pump-it.pump-rule.urgency", "s.pump-it.pump-rule.lineage");
            List<Sample> rms = byChannel.get("f.pump-it.vibration.rms");
            List<Sample> lineage = byChannel.get("s.pump-it.pump-rule.lineage");
            assertThat(rms).allSatisfy(s -> assertThat(s.value().asDouble()).isPositive());
            assertThat(byChannel.get("f.pump-it.speed.mean")).allSatisfy(s -> assertThat(s.value().asDouble()).isBetween(1300.0, 1600.0));
            // this set's channel holds only its own windows: ends 10 s apart, sequences 1, 2, 3, … of its own; the demo's
            // set (20 s windows every 5 s) writes the same feature of the same asset into a channel of its own
            for (int i = 1; i < rms.size(); i++) {
                assertThat(rms.get(i).sourceTimeMicros() - rms.get(i - 1).sourceTimeMicros()).as("pump-it windows end 10 s apart").isEqualTo(10 * SECOND);
                assertThat(rms.get(i).sequence()).isEqualTo(rms.get(i - 1).sequence() + 1);
            }
            List<Sample> demo = byChannel.get("f.pump-bearing.vibration.rms");
            assertThat(demo).as("the demo's feature set, beside ours").hasSizeGreaterThanOrEqualTo(6);
            for (int i = 1; i < demo.size(); i++) {
                assertThat(demo.get(i).sourceTimeMicros() - demo.get(i - 1).sourceTimeMicros()).as("pump-bearing windows end 5 s apart").isEqualTo(5 * SECOND);
            }
            // one score per window, at the window's end, and windows aligned to the 10 s hop
            for (Sample l : lineage) {
                assertThat(l.sourceTimeMicros() % (10 * SECOND)).isZero();
                // the features of the same window (the first window may lack a vibration block, so not always its rms)
                assertThat(byChannel.get("f.pump-it.speed.mean")).anyMatch(r -> r.sourceTimeMicros() == l.sourceTimeMicros());
                String text = ((io.millwright.api.StringValue) l.value()).value();
                assertThat(text).contains("model=pump-rule", "version=1.0.0", "featureSet=pump-it@1", "journal=", "time=",
                        "time=" + (l.sourceTimeMicros() - 10 * SECOND) + ".." + l.sourceTimeMicros());
            }
            assertThat(lineage.stream().map(Sample::sourceTimeMicros).distinct().count()).as("each window scored once").isEqualTo(lineage.size());
            assertThat(byChannel.get("s.pump-it.pump-rule.urgency")).allSatisfy(s -> assertThat(((io.millwright.api.StringValue) s.value()).value())
                    .isIn("CRITICAL", "WARNING", "NORMAL"));
        } finally {
            config.delete();
            model.unregister();
        }
    }
}
