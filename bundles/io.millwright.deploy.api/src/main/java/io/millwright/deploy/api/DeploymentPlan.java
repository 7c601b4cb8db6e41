package io.millwright.deploy.api;

import java.util.List;

/**
 * The change a deployment makes, as the framework's resolver computes it before anything is installed. Bundles are
 * named {@code <symbolic name> <version>}.
 *
 * @param repository the repository's name
 * @param signer who signed its index ({@code unsigned (development)} when the development flag let it through)
 * @param install bundles to install (those asked for and what they need that is not installed)
 * @param update installed bundles replaced by another version ({@code <name> <old> -> <new>})
 * @param refresh installed bundles whose wiring is rebuilt (the update's dependency closure)
 * @param restart active bundles stopped and started again by the update or refresh
 * @param unchanged bundles asked for that are installed already at a version in range
 * @param configurations PIDs of configurations written
 * @param models model packages put into the model folder ({@code <file> (<model id> <version>)})
 * @param protectedTouched protected bundles among update, refresh and restart (refused unless the request allows it)
 * @param downloadBytes the size of the jars to fetch
 */
public record DeploymentPlan(String repository, String signer, List<String> install, List<String> update, List<String> refresh,
        List<String> restart, List<String> unchanged, List<String> configurations, List<String> models, List<String> protectedTouched, long downloadBytes) {
    /** Copies the lists. */
    public DeploymentPlan {
        install = List.copyOf(install);
        update = List.copyOf(update);
        refresh = List.copyOf(refresh);
        restart = List.copyOf(restart);
        unchanged = List.copyOf(unchanged);
        configurations = List.copyOf(configurations);
        models = List.copyOf(models);
        protectedTouched = List.copyOf(protectedTouched);
    }
}
