package io.millwright.training;

import java.util.ArrayList;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;

/** Our tables as Weka instances; the header (attributes without rows) travels with the model. */
final class WekaTables {

    private WekaTables() {
    }

    /**
     * @param rows the table
     * @param relation the relation name (the feature set's id)
     * @param indexes which rows, or null for all
     * @return the instances, class attribute last
     */
    static Instances of(LabelledRows rows, String relation, int[] indexes) {
        ArrayList<Attribute> attributes = new ArrayList<>();
        for (String n : rows.featureNames()) {
            attributes.add(new Attribute(n));
        }
        attributes.add(rows.classification() ? new Attribute("class", new ArrayList<>(rows.classNames())) : new Attribute("target"));
        int n = indexes == null ? rows.size() : indexes.length;
        Instances data = new Instances(relation, attributes, n);
        data.setClassIndex(attributes.size() - 1);
        for (int k = 0; k < n; k++) {
            int i = indexes == null ? k : indexes[k];
            double[] v = new double[attributes.size()];
            System.arraycopy(rows.features()[i], 0, v, 0, rows.featureNames().size());
            v[v.length - 1] = rows.labels()[i];
            data.add(new DenseInstance(1.0, v));
        }
        return data;
    }

    /**
     * @param header the training header
     * @param features one feature vector
     * @return an instance of that header with a missing class
     */
    static DenseInstance instance(Instances header, double[] features) {
        double[] v = new double[header.numAttributes()];
        System.arraycopy(features, 0, v, 0, features.length);
        v[v.length - 1] = weka.core.Utils.missingValue();
        DenseInstance in = new DenseInstance(1.0, v);
        in.setDataset(header);
        return in;
    }
}
