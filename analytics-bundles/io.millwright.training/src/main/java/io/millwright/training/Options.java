package io.millwright.training;

import java.util.List;

/**
 * Command-line options shared by the training commands.
 *
 * @param algorithm learner name
 * @param trees random-forest trees
 * @param maxDepth random-forest depth bound, 0 for none
 * @param folds cross-validation folds
 * @param seed random seed
 * @param version version written into the model package
 * @param quiet no progress lines
 * @param lives simulated bearing lives ({@code sim} only)
 */
record Options(String algorithm, int trees, int maxDepth, int folds, int seed, String version, boolean quiet, int lives) {

    static Options parse(List<String> args, int defaultFolds) {
        String algorithm = "rf";
        int trees = 100;
        int depth = 0;
        int folds = defaultFolds;
        int seed = 1;
        String version = "1.0.0";
        boolean quiet = false;
        int lives = 40;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--algorithm" -> algorithm = value(args, ++i, a);
                case "--trees" -> trees = number(args, ++i, a, 1, 10_000);
                case "--max-depth" -> depth = number(args, ++i, a, 0, 1000);
                case "--folds" -> folds = number(args, ++i, a, 2, 100);
                case "--seed" -> seed = number(args, ++i, a, 0, Integer.MAX_VALUE);
                case "--version" -> version = value(args, ++i, a);
                case "--quiet" -> quiet = true;
                case "--lives" -> lives = number(args, ++i, a, 2, 10_000);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!Algorithms.NAMES.contains(algorithm)) {
            throw new IllegalArgumentException("--algorithm " + algorithm + ": one of " + Algorithms.NAMES);
        }
        return new Options(algorithm, trees, depth, folds, seed, version, quiet, lives);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(List<String> args, int i, String option, int min, int max) {
        String v = value(args, i, option);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " " + v + ": must be " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + v + ": not a whole number");
        }
    }

    String describe() {
        return algorithm.equals("rf") ? "random forest, " + trees + " trees" + (maxDepth > 0 ? ", depth <= " + maxDepth : "") : algorithm;
    }
}
