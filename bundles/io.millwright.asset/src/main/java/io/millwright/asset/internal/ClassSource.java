package io.millwright.asset.internal;

import io.millwright.asset.api.AssetClass;

/** An asset class from one configuration: the parsed class, or the problem that kept it from parsing. */
public interface ClassSource {
    /** @return the configuration's PID */
    String pid();

    /** @return the class, null if it has a problem */
    AssetClass assetClass();

    /** @return what is wrong (naming the PID and attribute), null if nothing */
    String problem();
}
