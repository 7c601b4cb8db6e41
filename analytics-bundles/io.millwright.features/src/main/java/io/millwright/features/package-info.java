/**
 * Feature extraction as a plain library: {@link io.millwright.features.SignalStatistics}, {@link io.millwright.features.Trend},
 * {@link io.millwright.features.Spectrum}, the {@link io.millwright.features.FeatureExtractor} that turns one window of an
 * asset's samples into the vector of a feature set, and the {@link io.millwright.features.WindowAssembler} that cuts a
 * stream of samples into windows. The gateway's streaming features and the training tool call the same code, so
 * training and serving compute identical numbers. {@link io.millwright.features.Mahalanobis} (since 1.1) is the
 * unsupervised model of healthy behaviour that the anomaly models fit and serve.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.millwright.features;
