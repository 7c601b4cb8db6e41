package io.millwright.training;

import io.millwright.analytics.api.FeatureSetDefinition;
import io.millwright.analytics.api.FeatureVector;
import io.millwright.api.QualityLevel;
import io.millwright.api.Sample;
import io.millwright.features.FeatureExtractor;
import io.millwright.features.WindowAssembler;
import io.millwright.journal.api.JournalArchive;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import io.millwright.journal.mapdb.MapDbJournalArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remaining useful life from what a gateway recorded: the journal (its folder, with the gateway stopped or a copy)
 * plus a label file of failure and maintenance events. Features come from the journal's samples through the gateway's
 * own {@link WindowAssembler} and {@link FeatureExtractor}, exactly as the streaming component computes them. Each
 * window's label is the time from its end to the asset's next failure; a window followed by a maintenance before any
 * failure, or by no failure at all, is censored (its remaining life is unknown) and left out. Cross-validation is
 * grouped by life (asset and the failure it ends in).
 *
 * <pre>
 * millwright-train journal &lt;journal folder&gt; &lt;labels.csv&gt; &lt;output folder&gt; --feature-set NAME[@VERSION]
 *     --window S --hop S --features a.rms,b.mean,... --assets pump-1,... [--model-id ID] [--cap-hours H] [--time-scale X]
 * labels.csv: asset,time,event   (time ISO-8601, e.g. 2026-11-22T10:15:00Z; event failure or maintenance)
 * </pre>
 *
 * {@code --time-scale} is for accelerated simulations: plant seconds per recorded second (the demo runs at 8640).
 */
final class JournalTraining {

    private static final long SECOND = 1_000_000L;

    private JournalTraining() {
    }

    /** A failure or maintenance event of one asset. */
    record Event(String asset, long timeMicros, boolean failure) {
    }

    /** The journal command's own options; the rest are the common ones. */
    record Spec(FeatureSetDefinition set, Set<String> assets, String modelId, double capHours, double timeScale) {
    }

    static void run(Path journalDir, Path labels, Path out, List<String> args) throws Exception {
        List<String> rest = new ArrayList<>();
        Spec spec = spec(args, rest);
        Options o = Options.parse(rest, 5);
        Progress progress = new Progress(o.quiet());
        Map<String, List<Event>> events = readLabels(labels);
        progress.step("labels: " + events.values().stream().mapToInt(List::size).sum() + " events of " + events.size() + " assets from " + labels);
        Map<String, List<FeatureVector>> vectors = readFeatures(journalDir, spec.set(), spec.assets(), progress);
        LabelledRows rows = label(vectors, events, spec, progress);
        RulTraining.crossValidateAndPackage(rows, spec.set(), spec.capHours(), "journal " + journalDir, "life", spec.modelId(), out, o, progress,
                new ModelPackage.Card("Remaining useful life (hours) of " + String.join(", ", spec.assets()) + " from windows of feature set "
                        + spec.set().id(), "The gateway's journal " + journalDir + " with the failures and repairs of " + labels,
                        "Learnt from these assets' own history: it knows only the failure modes, speeds and conditions that history holds"));
    }

    static Spec spec(List<String> args, List<String> rest) {
        String set = null;
        int version = 1;
        int window = 0;
        int hop = 0;
        List<String> features = null;
        Set<String> assets = null;
        String modelId = null;
        double cap = 0;
        double scale = 1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--feature-set" -> {
                    String v = value(args, ++i, a);
                    int at = v.indexOf('@');
                    set = at < 0 ? v : v.substring(0, at);
                    version = at < 0 ? 1 : (int) number(v.substring(at + 1), a, 1, 1_000_000);
                }
                case "--window" -> window = (int) number(value(args, ++i, a), a, 1, 31_536_000);
                case "--hop" -> hop = (int) number(value(args, ++i, a), a, 1, 31_536_000);
                case "--features" -> features = List.of(value(args, ++i, a).split(","));
                case "--assets" -> assets = Set.of(value(args, ++i, a).split(","));
                case "--model-id" -> modelId = value(args, ++i, a);
                case "--cap-hours" -> cap = number(value(args, ++i, a), a, 0, 1e9);
                case "--time-scale" -> scale = number(value(args, ++i, a), a, 1e-6, 1e9);
                default -> rest.add(a);
            }
        }
        if (set == null || window == 0 || hop == 0 || features == null || assets == null) {
            throw new IllegalArgumentException("journal needs --feature-set, --window, --hop, --features and --assets (the streaming feature set's"
                    + " configuration)");
        }
        FeatureSetDefinition definition = new FeatureSetDefinition(set, version, window * SECOND, hop * SECOND, features);
        new FeatureExtractor(definition); // names a bad feature now, not after reading the journal
        return new Spec(definition, assets, modelId == null ? set + "-rul" : modelId, cap, scale);
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    static double number(String v, String option, double min, double max) {
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException(option + " " + v + ": must be " + min + ".." + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + v + ": not a number");
        }
    }

    /** @return each asset's events in time order */
    static Map<String, List<Event>> readLabels(Path file) throws IOException {
        Map<String, List<Event>> out = new TreeMap<>();
        int line = 0;
        for (String l : Files.readAllLines(file)) {
            line++;
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#") || line == 1 && t.toLowerCase(Locale.ROOT).startsWith("asset,")) {
                continue;
            }
            String[] f = t.split(",", -1);
            if (f.length != 3) {
                throw new IOException(file + " line " + line + ": '" + t + "': expected asset,time,event");
            }
            long micros;
            try {
                Instant at = Instant.parse(f[1].strip());
                micros = at.getEpochSecond() * SECOND + at.getNano() / 1000;
            } catch (DateTimeParseException e) {
                throw new IOException(file + " line " + line + ": time '" + f[1].strip() + "' is not ISO-8601 (e.g. 2026-11-22T10:15:00Z)");
            }
            String event = f[2].strip().toLowerCase(Locale.ROOT);
            if (!event.equals("failure") && !event.equals("maintenance")) {
                throw new IOException(file + " line " + line + ": event '" + f[2].strip() + "': expected failure or maintenance");
            }
            out.computeIfAbsent(f[0].strip(), a -> new ArrayList<>()).add(new Event(f[0].strip(), micros, event.equals("failure")));
        }
        out.values().forEach(list -> list.sort((a, b) -> Long.compare(a.timeMicros(), b.timeMicros())));
        return out;
    }

    /** Reads the whole journal once: each asset's windows, in time order. */
    static Map<String, List<FeatureVector>> readFeatures(Path journalDir, FeatureSetDefinition set, Set<String> assets, Progress progress) {
        return readFeatures(journalDir, set, assets, null, progress);
    }

    /**
     * Reads the whole journal once: each asset's windows, in time order.
     *
     * @param runningTag if not null, only windows in which this tag (boolean, or a number &gt; 0 while running) read
     *     running throughout, as the streaming component scores only those
     */
    static Map<String, List<FeatureVector>> readFeatures(Path journalDir, FeatureSetDefinition set, Set<String> assets, String runningTag,
            Progress progress) {
        if (!Files.isDirectory(journalDir)) {
            throw new IllegalArgumentException("journal folder " + journalDir + " does not exist");
        }
        FeatureExtractor extractor = new FeatureExtractor(set);
        Map<String, List<FeatureVector>> out = new LinkedHashMap<>();
        Map<String, WindowAssembler> assemblers = new HashMap<>();
        for (String a : assets) {
            out.put(a, new ArrayList<>());
        }
        long[] samples = new long[1];
        int[] stopped = new int[1];
        forEachSample(journalDir, (position, s) -> {
            String asset = s.channel().asset();
            String tag = s.channel().tag();
            if (assets.contains(asset) && (extractor.tags().contains(tag) || tag.equals(runningTag)) && s.quality().level() != QualityLevel.BAD) {
                assemblers.computeIfAbsent(asset, a -> new WindowAssembler(set.windowMicros(), set.hopMicros(), w -> {
                    if (runningTag == null || io.millwright.features.ChannelWindow.runningThroughout(w.channels().get(runningTag))) {
                        out.get(a).add(extractor.extract(a, w.range(), w.channels()));
                    } else {
                        stopped[0]++;
                    }
                })).accept(tag, s.sourceTimeMicros(), s.value(), position);
                samples[0]++;
            }
        });
        if (runningTag != null) {
            progress.step(stopped[0] + " windows left out: " + runningTag + " did not read running throughout");
        }
        progress.step(String.format(Locale.ROOT, "journal %s: %,d samples of %s -> %s windows", journalDir, samples[0], assets,
                Arrays.toString(out.values().stream().mapToInt(List::size).toArray())));
        return out;
    }

    /**
     * An anomaly model from the journal's healthy windows ({@link AnomalyTraining}): a window is healthy when the asset's
     * next failure or maintenance lies at least {@code --healthy-margin-hours} (336) of asset time after it, or nothing
     * follows and the journal goes on for that long after it; with {@code --running-tag}, only windows in which the asset
     * ran throughout. Consecutive healthy windows of an asset form a run; the calibration holds runs out.
     *
     * <pre>
     * millwright-train anomaly &lt;journal folder&gt; &lt;labels.csv&gt; &lt;output folder&gt; --feature-set NAME[@V] --window S --hop S
     *     --features a.rms,... --assets a,... [--model-id ID] [--time-scale X] [--running-tag TAG] [--healthy-margin-hours H]
     *     [--false-alarms-per-week X] [--version V] [--quiet]
     * </pre>
     */
    static Path runAnomaly(Path journalDir, Path labels, Path out, List<String> args) throws Exception {
        List<String> rest = new ArrayList<>();
        List<String> own = new ArrayList<>();
        String runningTag = null;
        double margin = 336;
        double target = 0.1;
        String version = "1.0.0";
        boolean quiet = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--running-tag" -> runningTag = value(args, ++i, "--running-tag");
                case "--healthy-margin-hours" -> margin = number(value(args, ++i, "--healthy-margin-hours"), "--healthy-margin-hours", 0, 1e6);
                case "--false-alarms-per-week" -> target = number(value(args, ++i, "--false-alarms-per-week"), "--false-alarms-per-week", 1e-6, 100);
                case "--version" -> version = value(args, ++i, "--version");
                case "--quiet" -> quiet = true;
                default -> own.add(args.get(i));
            }
        }
        Spec spec = spec(own, rest);
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unknown option " + rest.get(0) + " for anomaly");
        }
        boolean namedId = own.contains("--model-id");
        String modelId = namedId ? spec.modelId() : spec.set().name() + "-anomaly";
        Progress progress = new Progress(quiet);
        Map<String, List<Event>> events = readLabels(labels);
        Map<String, List<FeatureVector>> vectors = readFeatures(journalDir, spec.set(), spec.assets(), runningTag, progress);
        double hopHours = spec.set().hopMicros() / (double) SECOND * spec.timeScale() / 3600;
        List<List<double[]>> runs = new ArrayList<>();
        int healthy = 0;
        for (Map.Entry<String, List<FeatureVector>> e : vectors.entrySet()) {
            List<Event> ev = events.getOrDefault(e.getKey(), List.of());
            long journalEnd = e.getValue().isEmpty() ? 0 : e.getValue().get(e.getValue().size() - 1).window().toMicros();
            List<double[]> run = new ArrayList<>();
            long previousEnd = Long.MIN_VALUE;
            for (FeatureVector v : e.getValue()) {
                long end = v.window().toMicros();
                Event next = ev.stream().filter(x -> x.timeMicros() >= end).findFirst().orElse(null);
                long until = next == null ? journalEnd : next.timeMicros();
                boolean ok = (until - end) / (double) SECOND * spec.timeScale() / 3600 >= margin;
                boolean contiguous = end - previousEnd <= 2 * spec.set().hopMicros();
                if ((!ok || !contiguous) && !run.isEmpty()) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
                if (ok) {
                    run.add(v.values());
                    healthy++;
                    previousEnd = end;
                }
            }
            if (!run.isEmpty()) {
                runs.add(run);
            }
        }
        int k = spec.set().features().size();
        runs.removeIf(r -> r.size() < 2);
        while (runs.size() < 5) { // too few runs to hold out: split the longest in two
            List<double[]> longest = runs.stream().max(java.util.Comparator.comparingInt(List::size)).orElse(List.of());
            if (longest.size() < 2 * (k + 2)) {
                break;
            }
            runs.remove(longest);
            runs.add(new ArrayList<>(longest.subList(0, longest.size() / 2)));
            runs.add(new ArrayList<>(longest.subList(longest.size() / 2, longest.size())));
        }
        progress.step(String.format(Locale.ROOT, "%d healthy windows (next failure or maintenance >= %.0f h after them) in %d runs", healthy, margin,
                runs.size()));
        if (healthy < k + 2 || runs.size() < 2) {
            throw new IllegalArgumentException("the journal holds " + healthy + " healthy windows of " + spec.assets() + " in " + runs.size()
                    + " run(s): need at least " + (k + 2) + " in 2 runs (a shorter --healthy-margin-hours, or more history)");
        }
        AnomalyTraining.Calibration calibration = AnomalyTraining.calibrate(runs, hopHours, target, 5);
        progress.step(calibration.describe());
        Path pkg = AnomalyTraining.fitAndPackage(runs, calibration, spec.set(), modelId, out, version, Map.of(), new ModelPackage.Card(
                "Anomaly score of " + String.join(", ", spec.assets()) + ": the Mahalanobis distance of a window of feature set " + spec.set().id()
                        + " from these assets' healthy behaviour; WARNING at or above " + String.format(Locale.ROOT, "%.2f", calibration.warning())
                        + " (calibrated to " + target + " false alarms per asset-week), CRITICAL at or above "
                        + String.format(Locale.ROOT, "%.2f", calibration.critical()),
                "The gateway's journal " + journalDir + ": windows at least " + margin + " h before any failure or maintenance in " + labels
                        + (runningTag == null ? "" : ", running throughout (" + runningTag + ")"),
                "Normal is what these assets did in that history: another duty, season or operating point reads as anomalous until retrained"),
                progress);
        System.out.println(modelId + ": " + calibration.describe());
        return pkg;
    }

    /**
     * Failure events from a trip channel the gateway recorded: each time a string channel turns from empty to a reason
     * (the simulated plant's {@code trip_reason}), or a boolean channel from true to false (a {@code running} flag).
     *
     * @param journalDir the journal folder
     * @param channel {@code asset/tag}
     * @return the label file's text, {@code asset,time,failure} lines
     */
    static String labelsFromChannel(Path journalDir, String channel) {
        int slash = channel.indexOf('/');
        if (slash <= 0 || slash == channel.length() - 1) {
            throw new IllegalArgumentException("channel '" + channel + "': expected asset/tag, e.g. pump-1/trip_reason");
        }
        String asset = channel.substring(0, slash);
        String tag = channel.substring(slash + 1);
        StringBuilder out = new StringBuilder("asset,time,event\n");
        int[] events = new int[1];
        boolean[] tripped = new boolean[1];
        boolean[] seen = new boolean[1];
        forEachSample(journalDir, (position, s) -> {
            if (!s.channel().asset().equals(asset) || !s.channel().tag().equals(tag)) {
                return;
            }
            boolean now = switch (s.value().type()) {
                case STRING -> !((io.millwright.api.StringValue) s.value()).value().isEmpty();
                case BOOLEAN -> s.value().asDouble() == 0;
                default -> throw new IllegalArgumentException("channel " + channel + " is " + s.value().type()
                        + ": a trip channel is a string (a reason, empty while running) or a boolean (running)");
            };
            if (now && !tripped[0] && seen[0]) {
                long t = s.sourceTimeMicros();
                out.append(asset).append(',').append(Instant.ofEpochSecond(t / SECOND, t % SECOND * 1000)).append(",failure\n");
                events[0]++;
            }
            tripped[0] = now;
            seen[0] = true;
        });
        if (!seen[0]) {
            throw new IllegalArgumentException("the journal in " + journalDir + " holds no samples of " + channel);
        }
        System.err.println("millwright-train: " + events[0] + " failures of " + asset + " from " + channel);
        return out.toString();
    }

    /** One sample of the journal and the position of its entry. */
    private interface SampleVisitor {
        void visit(long position, Sample sample);
    }

    /**
     * Reads every retained sample of a journal folder once, oldest first, with the gateway's journal code, read-only:
     * the folder is not changed and no cursor is left in it.
     */
    private static void forEachSample(Path journalDir, SampleVisitor visitor) {
        try (JournalArchive journal = MapDbJournalArchive.open(journalDir)) {
            for (JournalRead read = journal.read(journal.statistics().firstPosition(), 20_000); !read.entries().isEmpty();
                    read = journal.read(read.nextPosition(), 20_000)) {
                for (JournalEntry e : read.entries()) {
                    for (Sample s : e.samples()) {
                        visitor.visit(e.position(), s);
                    }
                }
            }
        }
    }

    /** Labels each window with the hours to its asset's next failure; censored windows are left out. */
    static LabelledRows label(Map<String, List<FeatureVector>> vectors, Map<String, List<Event>> events, Spec spec, Progress progress) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Integer> g = new ArrayList<>();
        Map<String, Integer> lives = new HashMap<>();
        int censored = 0;
        for (Map.Entry<String, List<FeatureVector>> e : vectors.entrySet()) {
            List<Event> ev = events.getOrDefault(e.getKey(), List.of());
            for (FeatureVector v : e.getValue()) {
                long end = v.window().toMicros();
                Event next = ev.stream().filter(x1 -> x1.timeMicros() >= end).findFirst().orElse(null);
                if (next == null || !next.failure()) {
                    censored++;
                    continue;
                }
                double hours = (next.timeMicros() - end) / (double) SECOND * spec.timeScale() / 3600;
                x.add(v.values());
                y.add(spec.capHours() > 0 ? Math.min(spec.capHours(), hours) : hours);
                g.add(lives.computeIfAbsent(e.getKey() + "@" + next.timeMicros(), k -> lives.size()));
            }
        }
        progress.step(x.size() + " windows labelled over " + lives.size() + " lives ending in a failure; " + censored
                + " censored (no failure after them, or a maintenance first)");
        if (lives.size() < 2) {
            throw new IllegalArgumentException("the journal and labels hold " + lives.size() + " run(s) to failure: need at least as many as folds (2+)");
        }
        return new LabelledRows(spec.set().features(), x.toArray(new double[0][]), y.stream().mapToDouble(Double::doubleValue).toArray(),
                g.stream().mapToInt(Integer::intValue).toArray(), List.of());
    }
}
