package io.millwright.deploy.api;

import java.util.List;

/**
 * A configured repository.
 *
 * @param name its name
 * @param url its index's URL
 * @param signer who signed the index, or why it is not usable
 * @param usable whether deployments may use it now
 * @param bundles what it offers ({@code <name> <version>})
 */
public record RepositoryInfo(String name, String url, String signer, boolean usable, List<String> bundles) {
    /** Copies the list. */
    public RepositoryInfo {
        bundles = List.copyOf(bundles);
    }
}
