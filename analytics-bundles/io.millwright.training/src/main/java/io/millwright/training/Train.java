package io.millwright.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The training tool.
 *
 * <pre>
 * millwright-train cmapss &lt;folder with train_FD001.txt, test_FD001.txt&gt; &lt;output folder&gt; [options]
 * millwright-train ai4i &lt;ai4i2020.csv&gt; &lt;output folder&gt; [options]
 * millwright-train sim &lt;output folder&gt; [--lives N] [options]    (the simulated plant's pump bearing, the demo's model)
 * millwright-train sim-anomaly &lt;output folder&gt; [--runs N] [--weeks W] [--eval-lives N] [--false-alarms-per-week X]   (the demo pump's
 *     anomaly model from healthy runs, evaluated on held-out lives: {@link SimAnomaly})
 * millwright-train labels &lt;journal folder&gt; &lt;asset/tag&gt; [labels.csv]   (failure events from a recorded trip channel)
 * millwright-train journal &lt;journal folder&gt; &lt;labels.csv&gt; &lt;output folder&gt; --feature-set NAME[@V] --window S --hop S
 *     --features a.rms,... --assets a,... [--model-id ID] [--cap-hours H] [--time-scale X] [options]   (see {@link JournalTraining})
 *   --algorithm rf|reptree|m5p|linear|j48   (default rf: random forest)
 *   --trees N --max-depth D --folds K --seed S --version V --quiet
 *   --sign-key K.p12 --sign-password-file F   (sign every package written: {@link ModelSigner})
 * millwright-train anomaly &lt;journal folder&gt; &lt;labels.csv&gt; &lt;output folder&gt; --feature-set NAME[@V] --window S --hop S
 *     --features ... --assets ... [--time-scale X] [--running-tag TAG] [--healthy-margin-hours H] [--false-alarms-per-week X]
 *     (an anomaly model from the journal's healthy windows: {@link JournalTraining#runAnomaly})
 * millwright-train sign &lt;package.mwmodel&gt;... --key K.p12 --password-file F
 * </pre>
 */
public final class Train {

    private Train() {
    }

    /**
     * @param args command, input, output, options
     */
    public static void main(String[] args) {
        if (System.getenv("WEKA_HOME") == null && System.getProperty("WEKA_HOME") == null) {
            System.setProperty("WEKA_HOME", Path.of(System.getProperty("java.io.tmpdir"), "millwright-weka").toString());
        }
        try {
            run(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("millwright-train: " + e.getMessage());
            usage();
            System.exit(2);
        } catch (Exception e) {
            System.err.println("millwright-train: " + e);
            System.exit(1);
        }
    }

    /**
     * Runs a command as {@link #main} does, but throws instead of exiting.
     *
     * @param args command, input, output, options
     * @throws Exception if training fails; {@link IllegalArgumentException} for bad arguments
     */
    /**
     * The feature vectors of one simulated bearing life of the demo pump, as the training tool computes them (for
     * evaluations: drift, anomaly lead times).
     *
     * @param seed the plant's seed
     * @param speedRatio the pump's constant speed / nominal (the sim model trains on 0.85-1.1)
     * @return each window's features in the order of feature set {@code pump-bearing@1}, new bearing to trip
     */
    public static List<double[]> simulatedLife(long seed, double speedRatio) {
        return SimBearing.life(seed, speedRatio, new io.millwright.features.FeatureExtractor(SimBearing.featureSet())).features();
    }

    public static void run(List<String> args) throws Exception {
        // --sign-key K.p12 --sign-password-file F: every package this run writes is signed (ModelSigner)
        List<String> rest = new java.util.ArrayList<>(args);
        Path signKey = take(rest, "--sign-key");
        Path signPassword = take(rest, "--sign-password-file");
        if (!rest.isEmpty() && rest.get(0).equals("sign")) {
            Path key = signKey != null ? signKey : take(rest, "--key");
            Path password = signPassword != null ? signPassword : take(rest, "--password-file");
            if (key == null || password == null || rest.size() < 2) {
                throw new IllegalArgumentException("sign needs package files, --key <PKCS12 file> and --password-file <file>");
            }
            ModelSigner signer = ModelSigner.open(key, password);
            for (String pkg : rest.subList(1, rest.size())) {
                signer.sign(Path.of(pkg));
                System.err.println("millwright-train: signed " + pkg + " as " + signer.subject());
            }
            return;
        }
        if ((signKey == null) != (signPassword == null)) {
            throw new IllegalArgumentException("--sign-key and --sign-password-file go together");
        }
        ModelSigner signer = signKey == null ? null : ModelSigner.open(signKey, signPassword);
        long started = System.currentTimeMillis() - 2000;
        runUnsigned(rest);
        if (signer != null) {
            Path out = Path.of(rest.get(switch (rest.get(0)) {
                case "sim", "sim-anomaly" -> 1;
                case "journal", "anomaly" -> 3;
                default -> 2;
            }));
            try (java.util.stream.Stream<Path> files = Files.list(out)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".mwmodel")).toList()) {
                    if (Files.getLastModifiedTime(p).toMillis() >= started) {
                        signer.sign(p);
                    }
                }
            }
        }
    }

    private static Path take(List<String> args, String option) {
        int i = args.indexOf(option);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs a file");
        }
        Path p = Path.of(args.get(i + 1));
        args.remove(i + 1);
        args.remove(i);
        return p;
    }

    private static void runUnsigned(List<String> args) throws Exception {
        if (args.size() >= 2 && args.get(0).equals("sim-anomaly")) {
            SimAnomaly.run(Path.of(args.get(1)), args.subList(2, args.size()));
            return;
        }
        if (args.size() >= 2 && args.get(0).equals("sim")) {
            SimBearing.run(Path.of(args.get(1)), Options.parse(args.subList(2, args.size()), 5));
            return;
        }
        if (args.size() >= 1 && args.get(0).equals("labels")) {
            if (args.size() < 3) {
                throw new IllegalArgumentException("labels needs a journal folder and a channel asset/tag");
            }
            if (!Files.isDirectory(Path.of(args.get(1)))) {
                throw new IllegalArgumentException("journal folder " + args.get(1) + " does not exist");
            }
            String csv = JournalTraining.labelsFromChannel(Path.of(args.get(1)), args.get(2));
            if (args.size() > 3) {
                ModelPackage.writeText(Path.of(args.get(3)), csv);
            } else {
                System.out.print(csv);
            }
            return;
        }
        if (args.size() >= 1 && args.get(0).equals("anomaly")) {
            if (args.size() < 4) {
                throw new IllegalArgumentException("anomaly needs a journal folder, a labels file and an output folder");
            }
            if (!Files.isRegularFile(Path.of(args.get(2)))) {
                throw new IllegalArgumentException("labels file " + args.get(2) + " does not exist");
            }
            JournalTraining.runAnomaly(Path.of(args.get(1)), Path.of(args.get(2)), Path.of(args.get(3)), args.subList(4, args.size()));
            return;
        }
        if (args.size() >= 1 && args.get(0).equals("journal")) {
            if (args.size() < 4) {
                throw new IllegalArgumentException("journal needs a journal folder, a labels file and an output folder");
            }
            if (!Files.isRegularFile(Path.of(args.get(2)))) {
                throw new IllegalArgumentException("labels file " + args.get(2) + " does not exist");
            }
            JournalTraining.run(Path.of(args.get(1)), Path.of(args.get(2)), Path.of(args.get(3)), args.subList(4, args.size()));
            return;
        }
        if (args.size() < 3) {
            throw new IllegalArgumentException("need a command, an input and an output folder");
        }
        Path in = Path.of(args.get(1));
        Path out = Path.of(args.get(2));
        if (!Files.exists(in)) {
            throw new IllegalArgumentException("input " + in + " does not exist");
        }
        switch (args.get(0)) {
            case "cmapss" -> Cmapss.run(in, out, Options.parse(args.subList(3, args.size()), 5));
            case "ai4i" -> Ai4i.run(in, out, Options.parse(args.subList(3, args.size()), 10));
            default -> throw new IllegalArgumentException("unknown command '" + args.get(0) + "'");
        }
    }

    private static void usage() {
        System.err.println("usage: millwright-train cmapss <C-MAPSS folder> <output folder> [options]");
        System.err.println("       millwright-train ai4i <ai4i2020.csv> <output folder> [options]");
        System.err.println("       millwright-train sim <output folder> [options]   (the simulated plant's pump bearing: the demo's model)");
        System.err.println("       millwright-train sim-anomaly <output folder> [--runs N] [--weeks W] [--eval-lives N] [--false-alarms-per-week X]");
        System.err.println("             (the simulated pump's anomaly model from healthy runs, evaluated on held-out bearing lives and healthy runs)");
        System.err.println("       millwright-train labels <journal folder> <asset/tag> [labels.csv]   (failures from a trip channel)");
        System.err.println("       millwright-train journal <journal folder> <labels.csv> <output folder> --feature-set NAME[@VERSION] --window S --hop S");
        System.err.println("             --features a.rms,b.mean,... --assets a,b [--model-id ID] [--cap-hours H] [--time-scale X] [options]");
        System.err.println("             labels.csv: asset,time,event  (ISO-8601 time; event failure or maintenance)");
        System.err.println("       millwright-train anomaly <journal folder> <labels.csv> <output folder> --feature-set NAME[@VERSION] --window S --hop S");
        System.err.println("             --features ... --assets ... [--time-scale X] [--running-tag TAG] [--healthy-margin-hours H (336)]");
        System.err.println("             [--false-alarms-per-week X (0.1)] [--model-id ID] [--version V]   (healthy windows only; failures are left out)");
        System.err.println("options: --algorithm rf|reptree|m5p|linear|j48  --trees N  --max-depth D  --folds K  --seed S  --version V  --quiet");
        System.err.println("         --lives N   (sim: simulated bearing lives, default 40)");
        System.err.println("         --sign-key <PKCS12 file> --sign-password-file <file>   (sign the packages written)");
        System.err.println("       millwright-train sign <package.mwmodel>... --key <PKCS12 file> --password-file <file>");
    }
}
