package io.millwright.deploy.api;

/** The phases of a deployment, in order; {@link #HEALTHY}, {@link #FAILED} and {@link #ROLLED_BACK} end it. */
public enum Phase {
    /** accepted, waiting for the job before it */
    QUEUED,
    /** the repository's index and the jars the plan needs are on the gateway */
    DOWNLOADED,
    /** the index's signature verifies against the gateway's trust store and every jar's SHA-256 is the index's */
    VERIFIED,
    /** the framework's resolver has computed the change (what {@link Deployments#plan} shows) */
    RESOLVED,
    /** bundles installed (not started) and configurations written */
    STAGED,
    /** bundles started */
    STARTED,
    /** the health checks passed within the window: committed */
    HEALTHY,
    /** refused or failed before anything was installed: nothing changed */
    FAILED,
    /** something was installed and is undone: the gateway runs its previous deployment */
    ROLLED_BACK;

    /** @return whether a deployment in this phase is over */
    public boolean isFinal() {
        return this == HEALTHY || this == FAILED || this == ROLLED_BACK;
    }
}
