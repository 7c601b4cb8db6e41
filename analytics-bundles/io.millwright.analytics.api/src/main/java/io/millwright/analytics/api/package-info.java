/**
 * Millwright's engine-neutral analytics API: named, versioned feature sets, feature vectors computed over a window
 * of the journal, scoring models as services, and scores that carry their lineage. Nothing here names a machine
 * learning library: a Weka model, an ONNX model or a hand-written rule is a {@link io.millwright.analytics.api.ScoringModel}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package io.millwright.analytics.api;
