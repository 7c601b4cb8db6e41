package io.millwright.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import weka.classifiers.Classifier;
import weka.core.Instances;

/**
 * k-fold cross-validation grouped by unit: every unit's rows are in exactly one validation fold and never in the
 * training folds at the same time, so a model is never validated on an engine (machine) it has seen.
 */
final class GroupedCrossValidation {

    private GroupedCrossValidation() {
    }

    /**
     * @param rows the table
     * @param folds number of folds
     * @param seed shuffles the units
     * @return the fold of every row
     */
    static int[] assign(LabelledRows rows, int folds, long seed) {
        List<Integer> units = new ArrayList<>(new TreeSet<>(java.util.Arrays.stream(rows.groups()).boxed().toList()));
        if (units.size() < folds) {
            throw new IllegalArgumentException(units.size() + " units cannot make " + folds + " folds");
        }
        Collections.shuffle(units, new Random(seed));
        java.util.Map<Integer, Integer> foldOf = new java.util.HashMap<>();
        for (int i = 0; i < units.size(); i++) {
            foldOf.put(units.get(i), i % folds);
        }
        int[] fold = new int[rows.size()];
        for (int i = 0; i < fold.length; i++) {
            fold[i] = foldOf.get(rows.groups()[i]);
        }
        return fold;
    }

    /**
     * @param rows the table
     * @param fold the fold of every row ({@link #assign})
     * @param folds number of folds
     * @param learner a fresh learner per fold
     * @param relation relation name
     * @param progress told after each fold
     * @return the out-of-fold prediction of every row
     */
    static double[] predictions(LabelledRows rows, int[] fold, int folds, Supplier<Classifier> learner, String relation, Progress progress)
            throws Exception {
        double[] predicted = new double[rows.size()];
        for (int f = 0; f < folds; f++) {
            int k = f;
            int[] train = java.util.stream.IntStream.range(0, rows.size()).filter(i -> fold[i] != k).toArray();
            int[] test = java.util.stream.IntStream.range(0, rows.size()).filter(i -> fold[i] == k).toArray();
            Instances data = WekaTables.of(rows, relation, train);
            Classifier c = learner.get();
            c.buildClassifier(data);
            Instances header = new Instances(data, 0);
            for (int i : test) {
                predicted[i] = c.classifyInstance(WekaTables.instance(header, rows.features()[i]));
            }
            progress.step("fold " + (f + 1) + "/" + folds + ": trained on " + train.length + " rows, validated on " + test.length);
        }
        return predicted;
    }
}
