package io.millwright.siteconfig.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's configuration folder ({@code <millwright.data.dir>/etc}, or the framework property
 * {@value #FOLDER_PROPERTY}), read every 2 s (thread {@code siteconfig-watch}). Each {@code <pid>.cfg} or
 * {@code <factoryPid>~<name>.cfg} is checked against the metatype of its PID and applied through Config Admin only if
 * every attribute is known and valid; a file that cannot be applied is logged once (ERROR, naming the file, the PID,
 * the attribute and the reason) and, for a device configuration, shown as a device in state CONFIG_ERROR. A changed
 * file is applied again; a removed file deletes the configuration it created (one it only changed keeps its last
 * values). The gateway never writes into the folder.
 */
@Component(immediate = true, service = {})
public final class SiteConfigFolder {

    static final String FOLDER_PROPERTY = "millwright.etc.dir";
    private static final String CREATED = "millwright.site.created";
    private static final Logger LOG = LoggerFactory.getLogger(SiteConfigFolder.class);

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final MetaTypeService metaType;
    private final Path folder;
    private final ConfigErrorDevices problems;
    private final ScheduledExecutorService watcher;
    /** file → content last handled (applied or refused), so that each version of a file is handled once. */
    /** Files Config Admin could not store, with the message last logged for each. */
    private final Map<String, String> storeFailures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> handled = new HashMap<>();

    /**
     * @param context the bundle context
     * @param cm Config Admin
     * @param metaType the metatype of the installed bundles
     */
    /** refused files are audited (changes are audited by the configuration audit itself); given to the constructor, as the
     *  first scan runs at once */
    private final AuditTrail audit;

    @Activate
    public SiteConfigFolder(BundleContext context, @Reference ConfigurationAdmin cm, @Reference MetaTypeService metaType,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY) AuditTrail audit) {
        this.audit = audit;
        this.context = context;
        this.cm = cm;
        this.metaType = metaType;
        String dir = context.getProperty(FOLDER_PROPERTY);
        if (dir == null || dir.isBlank()) {
            String data = context.getProperty("millwright.data.dir");
            dir = Path.of(data == null || data.isBlank() ? "data" : data, "etc").toString();
        }
        this.folder = Path.of(dir).toAbsolutePath();
        this.problems = new ConfigErrorDevices(context);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "siteconfig-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::scanGuarded, 0, 2, TimeUnit.SECONDS);
        LOG.info("site configuration: {} (<pid>.cfg, <factoryPid>~<name>.cfg), checked every 2 s", folder);
    }

    private void scanGuarded() {
        try {
            scan();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("site configuration {}: scan failed; trying again in 2 s", folder, e);
        }
    }

    /** One pass over the folder. */
    void scan() {
        Map<String, String> present = new HashMap<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList()) {
                    try {
                        present.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        LOG.warn("site configuration {}: cannot read: {}", p, e.toString());
                    }
                }
            } catch (IOException e) {
                LOG.warn("site configuration {}: cannot list: {}", folder, e.toString());
                return;
            }
        }
        for (Map.Entry<String, String> f : present.entrySet()) {
            if (!f.getValue().equals(handled.get(f.getKey()))) {
                handled.put(f.getKey(), f.getValue());
                apply(f.getKey(), f.getValue());
            }
        }
        for (String gone : List.copyOf(handled.keySet())) {
            if (!present.containsKey(gone)) {
                handled.remove(gone);
                removed(gone);
            }
        }
    }

    private void apply(String file, String text) {
        SiteFile site;
        try {
            site = SiteFile.parse(file, text);
        } catch (IllegalArgumentException e) {
            refuse(file, null, null, e.getMessage());
            return;
        }
        ObjectClassDefinition ocd = ocd(site);
        Hashtable<String, Object> props;
        try {
            props = AttributeValues.typed(site, ocd);
        } catch (AttributeValues.Refused e) {
            refuse(file, site, ocd, "etc/" + file + " (" + site.configurationId() + "): " + e.getMessage() + "; nothing of the file was applied");
            return;
        }
        try {
            Configuration c = site.name() == null ? cm.getConfiguration(site.pid(), "?") : cm.getFactoryConfiguration(site.pid(), site.name(), "?");
            Dictionary<String, Object> before = c.getProperties();
            props.put(SiteFile.MARKER, file);
            props.put(CREATED, before == null || Boolean.TRUE.equals(before.get(CREATED)));
            if (before != null) {
                for (String k : java.util.Collections.list(before.keys())) {
                    if (!props.containsKey(k) && !k.startsWith("service.") && !k.equals(SiteFile.MARKER)) {
                        props.put(k, before.get(k)); // attributes the file does not name keep their values
                    }
                }
            }
            // the configuration audit names the file as the one who changed it
            ActingAs.call(new ActingAs.Who("etc-file", "", "etc", "etc/" + file), () -> c.updateIfDifferent(props));
            problems.withdraw(file);
            storeFailures.remove(file);
            LOG.info("site configuration etc/{} applied to {}{}", file, site.configurationId(), ocd == null ? " (no metatype installed for it: values taken as text)" : "");
        } catch (IOException e) {
            // Config Admin could not store it (a full disk, say): the previous settings stay; tried again at every scan
            handled.remove(file);
            String message = "etc/" + file + " (" + site.configurationId() + "): Config Admin could not store it (" + e.getMessage()
                    + "); the previous settings stay in effect, and it is tried again every 2 s";
            if (!message.equals(storeFailures.put(file, message))) {
                LOG.error("site configuration {}", message);
            }
        } catch (RuntimeException e) {
            refuse(file, site, ocd, "etc/" + file + " (" + site.configurationId() + "): Config Admin refused it: " + e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(e); // updateIfDifferent throws only IOException, caught above
        }
    }

    private void refuse(String file, SiteFile site, ObjectClassDefinition ocd, String message) {
        LOG.error("site configuration {}", message);
        AuditTrail trail = audit;
        if (trail != null) {
            try {
                trail.record(AuditEvent.of("etc-file", "", "etc", "etc/" + file, "config.refused", site == null ? file : site.configurationId(),
                        AuditEvent.REFUSED, message));
            } catch (RuntimeException e) {
                LOG.warn("site configuration etc/{}: the refusal could not be audited: {}", file, e.getMessage());
            }
        }
        boolean device = ocd != null && Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).anyMatch(a -> a.getID().equals("deviceId"));
        if (device) {
            String id = site.values().getOrDefault("deviceId", site.name() == null ? site.pid() : site.name()).replace("\"", "");
            problems.show(file, id, site.pid(), message);
        } else {
            problems.withdraw(file);
        }
    }

    private void removed(String file) {
        problems.withdraw(file);
        try {
            Configuration[] configs = cm.listConfigurations("(" + SiteFile.MARKER + "=" + file.replaceAll("([\\\\*()])", "\\\\$1") + ")");
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                if (Boolean.TRUE.equals(c.getProperties().get(CREATED))) {
                    ActingAs.call(new ActingAs.Who("etc-file", "", "etc", "etc/" + file), () -> {
                        c.delete();
                        return null;
                    });
                    LOG.info("site configuration etc/{} removed: configuration {} deleted", file, c.getPid());
                } else {
                    LOG.info("site configuration etc/{} removed: {} keeps its last values (it existed before the file)", file, c.getPid());
                }
            }
        } catch (Exception e) {
            LOG.warn("site configuration etc/{} removed, but its configuration could not be looked up: {}", file, e.toString());
        }
    }

    private ObjectClassDefinition ocd(SiteFile site) {
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = metaType.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            String[] pids = site.name() == null ? info.getPids() : info.getFactoryPids();
            if (pids != null && Arrays.asList(pids).contains(site.pid())) {
                return info.getObjectClassDefinition(site.pid(), null);
            }
        }
        return null;
    }

    /** Stops watching; the devices shown for refused files go. */
    @Deactivate
    void deactivate() {
        watcher.shutdown();
        try {
            if (!watcher.awaitTermination(10, TimeUnit.SECONDS)) {
                watcher.shutdownNow();
            }
        } catch (InterruptedException e) {
            watcher.shutdownNow();
            Thread.currentThread().interrupt();
        }
        problems.withdrawAll();
    }
}
