/**
 * Who is acting on the gateway: local users and API tokens with one of four roles ({@link Role}), authenticated by
 * the {@link IdentityService} (provided by {@code io.millwright.identity}). Every web request, MQTT command, write
 * and install is done by an {@link Actor}; what an actor may do is decided by its role.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.millwright.identity.api;
