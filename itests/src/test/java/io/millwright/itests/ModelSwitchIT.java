package io.millwright.itests;

import static io.millwright.itests.FrameworkChecks.await;
import static io.millwright.itests.FrameworkChecks.drainAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.api.ScoringModel;
import io.millwright.api.ChannelId;
import io.millwright.api.Quality;
import io.millwright.api.Sample;
import io.millwright.api.SampleBatch;
import io.millwright.api.StringValue;
import io.millwright.api.Value;
import io.millwright.ingest.api.SampleSink;
import io.millwright.ingest.api.SubmitResult;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The distribution as shipped — the simulated plant, the demo's streaming feature set, the Weka scoring bundle with
 * the pump bearing's model bundle (version 1.0.0) — while a feeder loads ingest with 5,000 samples/s: version
 * 2.0.0 of the model (trained at build time on other simulated lives) is dropped into the model folder. It scores
 * in shadow beside 1.0.0, takes over, and through it all every window is scored exactly once by exactly one
 * version, the switch shows in the lineage, the data path never rebinds and no sample is lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelSwitchIT {

    private static final long SECOND = 1_000_000L;
    private static final String MODEL = "pump-bearing-rul";
    /** The prefix of the model's score channels: {@code s.<feature set>.<model>}. */
    private static final String SCORES = "s.pump-bearing." + MODEL;
    private static final Pattern LINEAGE = Pattern.compile("version=(\\S+) sha256=(\\S+) .* time=(\\d+)\\.\\.(\\d+) ");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    private record Scored(String version, String sha256, long from, long to, String text) {
    }

    @Test
    public void aModelReplacedUnderLoadScoresEveryWindowOnceWithOneVersionAndLosesNoSample() throws Exception {
        Journal journal = context.getService(context.getServiceReference(Journal.class));
        JournalCursor reader = journal.openCursor("it-model-switch", StartAt.LATEST);
        await("the model bundle's version in charge", 60, () -> modelReference() != null);
        Object modelService = modelReference().getProperty("service.id");

        // the demo's feature set, a window every second instead of every five: more windows through the switch
        ConfigurationAdmin cm = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration stream = cm.getFactoryConfiguration("io.millwright.features.stream", "pump-bearing", "?");
        Dictionary<String, Object> props = stream.getProperties();
        assertThat(props).as("the demo's feature set is configured by the defaults").isNotNull();
        props.put("hopSeconds", 1);
        props.put("pollIntervalMs", 200);
        stream.update(props);

        SampleSink sink = context.getService(context.getServiceReference(SampleSink.class));
        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicLong accepted = new AtomicLong();
        Thread feeder = new Thread(() -> feed(sink, feeding, accepted), "it-load-feeder");
        List<Sample> seen = new ArrayList<>();
        Path v2 = Path.of(System.getProperty("it.model.v2"));
        Path folder = Path.of(context.getProperty("millwright.data.dir"), "models");
        try {
            feeder.start();
            await("five windows a second apart scored by 1.0.0", 90, () -> {
                drainAll(reader, seen);
                List<Scored> s = hopOneRun(scored(seen));
                return s.size() >= 5;
            });
            Files.createDirectories(folder);
            Path part = folder.resolve(v2.getFileName() + ".part");
            Files.copy(v2, part);
            Files.move(part, folder.resolve(v2.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            await("five windows scored by 2.0.0", 90, () -> {
                drainAll(reader, seen);
                return scored(seen).stream().filter(s -> s.version().equals("2.0.0")).count() >= 5;
            });
        } finally {
            feeding.set(false);
            feeder.join(10_000);
        }
        await("every sample the feeder got accepted is in the journal", 30, () -> {
            drainAll(reader, seen);
            return seen.stream().filter(ModelSwitchIT::fed).count() == accepted.get();
        });

        List<Scored> run = hopOneRun(scored(seen));
        // no window unscored, none scored twice: window ends one hop apart, each 20 s long
        for (int i = 1; i < run.size(); i++) {
            assertThat(run.get(i).to() - run.get(i - 1).to()).as("hop between scored windows " + (i - 1) + " and " + i + ": " + run).isEqualTo(SECOND);
            assertThat(run.get(i).to() - run.get(i).from()).isEqualTo(20 * SECOND);
        }
        // each score names exactly one version; 1.0.0 until the switch, 2.0.0 from then on — one switch, no going back
        List<String> versions = run.stream().map(Scored::version).toList();
        int firstV2 = versions.indexOf("2.0.0");
        assertThat(firstV2).as("the switch in " + versions).isPositive();
        assertThat(versions.subList(0, firstV2)).containsOnly("1.0.0");
        assertThat(versions.subList(firstV2, versions.size())).containsOnly("2.0.0");
        assertThat(run.get(firstV2).sha256()).as("the new version's file").isNotEqualTo(run.get(firstV2 - 1).sha256());
        // the three windows before the switch were scored by 2.0.0 in shadow too, and say so
        List<Scored> shadowed = run.stream().filter(s -> s.text().contains(" shadow=2.0.0=")).toList();
        assertThat(shadowed).as("shadow comparisons").hasSize(3).allSatisfy(s -> assertThat(s.version()).isEqualTo("1.0.0"));
        assertThat(run.indexOf(shadowed.get(2))).as("the last shadow window is the last of 1.0.0").isEqualTo(firstV2 - 1);
        assertThat(only(seen, "pump-1", SCORES + ".shadow")).hasSize(3);
        // every feature window has its score
        List<Long> featureWindows = only(seen, "pump-1", "f.pump-bearing.vibration.rms").stream().map(Sample::sourceTimeMicros)
                .filter(t -> t >= run.get(0).to() && t <= run.get(run.size() - 1).to()).toList();
        assertThat(featureWindows).containsExactlyElementsOf(run.stream().map(Scored::to).toList());
        // the data path never rebound: the same model service throughout
        assertThat(modelReference().getProperty("service.id")).isEqualTo(modelService);
        // nothing lost: the feeder's and the plant's sequences are gap-free
        assertThat(accepted.get()).as("samples the feeder got accepted").isGreaterThan(100_000);
        Map<String, List<Sample>> load = seen.stream().filter(ModelSwitchIT::fed)
                .collect(Collectors.groupingBy(s -> s.channel().tag(), TreeMap::new, Collectors.toList()));
        assertThat(load).hasSize(50);
        load.values().forEach(ModelSwitchIT::assertGapFree);
        assertGapFree(only(seen, "pump-1", "speed"));
        assertGapFree(only(seen, "pump-1", "vibration"));

        // the model bundle (1.0.0) uninstalled: 2.0.0 from the folder stays in charge, same service; its file deleted too:
        // no version left, the model's service goes
        FrameworkChecks.bundle(context, "io.millwright.model.pumpbearing").uninstall();
        long uninstalled = System.currentTimeMillis() * 1000;
        await("windows after the uninstall scored by 2.0.0", 30, () -> {
            drainAll(reader, seen);
            return scored(seen).stream().filter(x -> x.from() > uninstalled).count() >= 2;
        });
        assertThat(scored(seen).stream().filter(x -> x.to() > uninstalled)).allSatisfy(x -> assertThat(x.version()).isEqualTo("2.0.0"));
        assertThat(modelReference().getProperty("service.id")).isEqualTo(modelService);
        Files.delete(folder.resolve(v2.getFileName()));
        await("the model's service withdrawn with its last version", 30, () -> modelReference() == null);
    }

    private ServiceReference<ScoringModel> modelReference() {
        try {
            Collection<ServiceReference<ScoringModel>> refs = context.getServiceReferences(ScoringModel.class,
                    "(" + ScoringModel.MODEL_ID + "=" + MODEL + ")");
            return refs.isEmpty() ? null : refs.iterator().next();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 50 channels of asset load-1, 100 batches a second. */
    /** A sample of the feeder's (load-1's own channels; the data-quality reader journals load-1/q.<tag> beside them). */
    private static boolean fed(Sample s) {
        return s.channel().asset().equals("load-1") && !s.channel().tag().startsWith("q.");
    }

    private static void feed(SampleSink sink, AtomicBoolean feeding, AtomicLong accepted) {
        long n = 0;
        while (feeding.get()) {
            long now = System.currentTimeMillis() * 1000;
            List<Sample> batch = new ArrayList<>(50);
            for (int c = 0; c < 50; c++) {
                batch.add(Sample.of(new ChannelId("load-1", "t" + c), now, Value.of((double) (n + c)), Quality.GOOD));
            }
            if (sink.submit(new SampleBatch("it-load", batch)) == SubmitResult.ACCEPTED) {
                accepted.addAndGet(batch.size());
            }
            n++;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static List<Scored> scored(List<Sample> seen) {
        List<Scored> out = new ArrayList<>();
        for (Sample s : only(seen, "pump-1", SCORES + ".lineage")) {
            String text = ((StringValue) s.value()).value();
            Matcher m = LINEAGE.matcher(text);
            assertThat(m.find()).as("lineage " + text).isTrue();
            out.add(new Scored(m.group(1), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), text));
        }
        return out;
    }

    /**
     * The scores from the first two windows one second apart on (before, the feature set still ran with its five-second
     * hop); a gap after that is for the caller to find.
     */
    private static List<Scored> hopOneRun(List<Scored> all) {
        for (int i = 0; i + 1 < all.size(); i++) {
            if (all.get(i + 1).to() - all.get(i).to() == SECOND) {
                return all.subList(i, all.size());
            }
        }
        return List.of();
    }

    private static List<Sample> only(List<Sample> seen, String asset, String tag) {
        ChannelId id = new ChannelId(asset, tag);
        return seen.stream().filter(s -> s.channel().equals(id)).toList();
    }

    private static void assertGapFree(List<Sample> samples) {
        assertThat(samples).isNotEmpty();
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).sequence()).as(samples.get(i).channel() + " sequence").isEqualTo(samples.get(i - 1).sequence() + 1);
        }
    }
}
