package io.millwright.uplink.api;

import org.osgi.annotation.versioning.ProviderType;

/** A running uplink, registered as an OSGi service by the uplink bundle. */
@ProviderType
public interface Uplink {

    /** @return the uplink's name, e.g. {@code mqtt} */
    String name();

    /** @return its state now */
    UplinkStatus status();
}
