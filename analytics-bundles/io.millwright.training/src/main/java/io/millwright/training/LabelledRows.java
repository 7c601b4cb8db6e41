package io.millwright.training;

import java.util.List;

/**
 * A training table: one feature vector per row, its label, and the group (unit) it belongs to.
 *
 * @param featureNames feature names, in column order
 * @param features rows × features
 * @param labels the target per row (a number for regression, the class index for classification)
 * @param groups the unit of each row (an engine, a machine): cross-validation never splits a group
 * @param classNames class names for classification, empty for regression
 */
record LabelledRows(List<String> featureNames, double[][] features, double[] labels, int[] groups, List<String> classNames) {

    LabelledRows {
        if (features.length != labels.length || labels.length != groups.length) {
            throw new IllegalArgumentException(features.length + " rows, " + labels.length + " labels, " + groups.length + " groups");
        }
    }

    int size() {
        return labels.length;
    }

    boolean classification() {
        return !classNames.isEmpty();
    }
}
