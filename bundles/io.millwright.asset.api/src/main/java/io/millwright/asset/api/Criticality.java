package io.millwright.asset.api;

/** How much the plant depends on an asset: A (production stops, safety or environment at stake), B, C (redundant, minor). */
public enum Criticality {
    /** production stops, or safety or the environment is at stake */
    A,
    /** production suffers */
    B,
    /** redundant or minor */
    C
}
