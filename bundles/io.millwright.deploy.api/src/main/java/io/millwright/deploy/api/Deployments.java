package io.millwright.deploy.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The deployment agent. Every call that changes something is authorised (role {@code admin}) and audited by the
 * caller's front end (REST, MQTT) and by the agent.
 */
@ProviderType
public interface Deployments {

    /**
     * Computes the change without changing anything: fetches the repository's index, verifies its signature and
     * resolves the request against what is installed.
     *
     * @param request the deployment
     * @return the plan
     * @throws DeploymentException with the reason when the repository is unknown or unreachable, its index is not
     *     trusted, or the request cannot be resolved
     */
    DeploymentPlan plan(DeploymentRequest request) throws DeploymentException;

    /**
     * Queues a deployment; it runs on the agent's thread, one at a time.
     *
     * @param request the deployment
     * @param actor who asks
     * @param role their role
     * @param source how ({@code web}, {@code mqtt})
     * @param address from where
     * @return its status, {@link Phase#QUEUED}
     * @throws SecurityException when the role is not admin
     */
    DeploymentStatus submit(DeploymentRequest request, String actor, String role, String source, String address);

    /** @return the deployments this gateway has run, newest first (the last 50) */
    List<DeploymentStatus> list();

    /**
     * @param id a deployment's id
     * @return its status
     */
    Optional<DeploymentStatus> status(String id);

    /** @return the bundles the agent has deployed and that are committed ({@code <name> <version>}) */
    List<String> deployed();

    /** @return the configured repositories and what their indexes offer */
    List<RepositoryInfo> repositories();

    /**
     * Receives a piece of a file for a local repository (admin).
     *
     * @param chunk the piece
     * @param actor who sends it
     * @param role their role
     * @param source how ({@code mqtt})
     * @param address from where
     * @return what the gateway holds of the file now
     * @throws SecurityException when the role is not admin
     * @throws IllegalStateException when the piece does not continue the file (naming the offset expected) or the
     *     finished file's SHA-256 is not the announced one
     */
    ChunkReceipt receive(ArtifactChunk chunk, String actor, String role, String source, String address);
}
