package io.millwright.analytics.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A validated model ready to score, registered as an OSGi service by a scoring engine bundle (e.g. the Weka one)
 * with the service properties {@value #MODEL_ID} and {@value #MODEL_VERSION}. Implementations must be thread-safe.
 */
@ConsumerType
public interface ScoringModel {

    /** Service property: the model id. */
    String MODEL_ID = "millwright.model.id";
    /** Service property: the model version. */
    String MODEL_VERSION = "millwright.model.version";

    /** @return model id */
    String id();

    /** @return model version */
    String version();

    /** @return SHA-256 of the model file, hex */
    String sha256();

    /** @return what it estimates */
    ModelKind kind();

    /** @return the feature set it was trained on (name and version must match the vectors it scores) */
    FeatureSetDefinition featureSet();

    /**
     * @param vector features of the feature set this model declares
     * @return the score with its lineage
     * @throws IllegalArgumentException if the vector is of another feature set or version
     */
    Score score(FeatureVector vector);
}
