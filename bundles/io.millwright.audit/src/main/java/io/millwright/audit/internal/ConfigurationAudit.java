package io.millwright.audit.internal;

import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every configuration change, from any source, with the changed attributes before and after. Config Admin
 * calls a synchronous listener on the thread that changed the configuration, so the way in that set
 * {@link ActingAs} (a web request, an MQTT command, the {@code etc/} folder) is named as the actor; a change without
 * one (e.g. the defaults applied by the Configurator at start) is recorded as {@code unattributed}.
 */
@Component(service = SynchronousConfigurationListener.class)
public final class ConfigurationAudit implements SynchronousConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationAudit.class);
    private static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "felix.fileinstall.filename", ":org.apache.felix.configadmin.revision:");

    private final AuditTrail audit;
    private final ConfigurationAdmin configAdmin;
    private final Map<String, Map<String, String>> known = new ConcurrentHashMap<>();

    /**
     * @param audit where changes are recorded
     * @param configAdmin to read a configuration after it changed
     */
    @Activate
    public ConfigurationAudit(@Reference AuditTrail audit, @Reference ConfigurationAdmin configAdmin) {
        this.audit = audit;
        this.configAdmin = configAdmin;
        try {
            Configuration[] all = configAdmin.listConfigurations(null);
            if (all != null) {
                for (Configuration c : all) {
                    known.put(c.getPid(), values(c.getProperties()));
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("configuration audit: the configurations present at start could not be read ({}); their first change "
                    + "is recorded without its before", e.getMessage());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        Map<String, String> before = known.getOrDefault(pid, Map.of());
        Map<String, String> after;
        String action;
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            after = Map.of();
            action = "config.delete";
            known.remove(pid);
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            after = current(pid);
            action = before.isEmpty() ? "config.create" : "config.update";
            known.put(pid, after);
        } else {
            return; // a location change: no value changed
        }
        Map<String, String> changedBefore = new TreeMap<>();
        Map<String, String> changedAfter = new TreeMap<>();
        for (String key : union(before.keySet(), after.keySet())) {
            String b = before.get(key);
            String a = after.get(key);
            if (b == null ? a != null : !b.equals(a)) {
                if (b != null) {
                    changedBefore.put(key, secret(key) ? AuditLine.MASK : b);
                }
                if (a != null) {
                    changedAfter.put(key, secret(key) ? AuditLine.MASK + (b == null ? "" : " (changed)") : a);
                }
            }
        }
        if (changedBefore.isEmpty() && changedAfter.isEmpty() && !action.equals("config.delete")) {
            return; // stored again unchanged
        }
        ActingAs.Who who = ActingAs.current().orElse(new ActingAs.Who("unattributed", "", "config-admin", ""));
        String target = event.getFactoryPid() == null ? pid : pid + " (factory " + event.getFactoryPid() + ")";
        try {
            audit.record(new AuditEvent(who.actor(), who.role(), who.source(), who.address(), action, target, changedBefore,
                    changedAfter, AuditEvent.OK, ""));
        } catch (RuntimeException e) {
            LOG.error("configuration audit: the change of {} could not be recorded: {}", pid, e.getMessage());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private Map<String, String> current(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid.replace("\\", "\\\\")
                    .replace("(", "\\(").replace(")", "\\)").replace("*", "\\*") + ")");
            return found == null || found.length == 0 ? Map.of() : values(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("configuration audit: {} could not be read after its change: {}", pid, e.getMessage());
            return Map.of();
        }
    }

    static Map<String, String> values(Dictionary<String, Object> properties) {
        if (properties == null) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (BOOKKEEPING.contains(key)) {
                continue;
            }
            Object v = properties.get(key);
            // a secret is kept (in memory only) as a digest: enough to tell that it changed
            out.put(key, secret(key) ? "sha256:" + AuditLine.hash("", render(v)) : render(v));
        }
        return Collections.unmodifiableMap(out);
    }

    /** secret-looking keys and private (dotted) keys: their values never reach the trail */
    private static boolean secret(String key) {
        return AuditLine.isSecretKey(key) || key.startsWith(".");
    }

    private static String render(Object v) {
        if (v != null && v.getClass().isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(v); i++) {
                b.append(i == 0 ? "" : ", ").append(Array.get(v, i));
            }
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }
}
