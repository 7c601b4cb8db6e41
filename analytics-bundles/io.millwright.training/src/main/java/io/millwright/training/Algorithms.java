package io.millwright.training;

import java.util.List;
import weka.classifiers.Classifier;
import weka.classifiers.functions.LinearRegression;
import weka.classifiers.trees.J48;
import weka.classifiers.trees.M5P;
import weka.classifiers.trees.REPTree;
import weka.classifiers.trees.RandomForest;

/** The Weka learners the tool offers, by name. Random forest is the default. */
final class Algorithms {

    static final List<String> NAMES = List.of("rf", "reptree", "m5p", "linear", "j48");

    private Algorithms() {
    }

    /**
     * @param name one of {@link #NAMES}
     * @param trees trees for a random forest
     * @param maxDepth depth bound for a random forest's trees (0: unbounded); bounded trees keep gateway models small
     * @param seed random seed
     * @param classification whether the target is a class
     * @return a fresh learner
     * @throws IllegalArgumentException for an unknown name or one that does not fit the task
     */
    static Classifier create(String name, int trees, int maxDepth, int seed, boolean classification) {
        switch (name) {
            case "rf" -> {
                RandomForest rf = new RandomForest();
                rf.setNumIterations(trees);
                rf.setMaxDepth(maxDepth);
                rf.setSeed(seed);
                rf.setNumExecutionSlots(Runtime.getRuntime().availableProcessors());
                return rf;
            }
            case "reptree" -> {
                REPTree t = new REPTree();
                t.setSeed(seed);
                return t;
            }
            case "m5p", "linear" -> {
                if (classification) {
                    throw new IllegalArgumentException("algorithm " + name + " is for regression; for classes use rf, reptree or j48");
                }
                return name.equals("m5p") ? new M5P() : new LinearRegression();
            }
            case "j48" -> {
                if (!classification) {
                    throw new IllegalArgumentException("algorithm j48 is for classes; for regression use rf, reptree, m5p or linear");
                }
                return new J48();
            }
            default -> throw new IllegalArgumentException("algorithm '" + name + "' is not one of " + NAMES);
        }
    }
}
