package io.millwright.analytics.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the scoring engine holds, for the people who run it: each model with the version in service, the candidate
 * scoring in shadow and how its answers compare, the version it replaced, and what happened to it. Engine-neutral:
 * provided by the scoring bundle, read by the REST API and the console.
 *
 * @since 1.2
 */
@ProviderType
public interface ModelInventory {

    /** @return every model the engine serves, by id */
    List<ModelStatus> models();
}
