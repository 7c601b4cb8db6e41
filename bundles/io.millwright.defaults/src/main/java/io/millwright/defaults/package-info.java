/**
 * The gateway's default configuration, as Configurator JSON in
 * {@code OSGI-INF/configurator/millwright.json}. Site overrides go into the watched folder
 * {@code <data>/etc} as FileInstall {@code .cfg} or {@code .config} files; a configuration changed
 * there (or through the Web Console) is never overwritten by these defaults.
 */
@org.osgi.service.configurator.annotations.RequireConfigurator
package io.millwright.defaults;
