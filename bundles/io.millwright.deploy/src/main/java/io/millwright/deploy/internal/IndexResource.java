package io.millwright.deploy.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Version;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/** A resource of a repository index: its capabilities and requirements as the index states them. */
final class IndexResource implements Resource {

    static final String IDENTITY = "osgi.identity";
    static final String CONTENT = "osgi.content";

    private final List<Capability> capabilities = new ArrayList<>();
    private final List<Requirement> requirements = new ArrayList<>();

    @Override
    public List<Capability> getCapabilities(String namespace) {
        return namespace == null ? Collections.unmodifiableList(capabilities)
                : capabilities.stream().filter(c -> c.getNamespace().equals(namespace)).toList();
    }

    @Override
    public List<Requirement> getRequirements(String namespace) {
        return namespace == null ? Collections.unmodifiableList(requirements)
                : requirements.stream().filter(r -> r.getNamespace().equals(namespace)).toList();
    }

    void add(String namespace, Map<String, Object> attributes, Map<String, String> directives, boolean capability) {
        if (capability) {
            capabilities.add(new Cap(namespace, Map.copyOf(attributes), Map.copyOf(directives), this));
        } else {
            requirements.add(new Req(namespace, Map.copyOf(attributes), Map.copyOf(directives), this));
        }
    }

    private Object identity(String attribute) {
        List<Capability> ids = getCapabilities(IDENTITY);
        return ids.isEmpty() ? null : ids.get(0).getAttributes().get(attribute);
    }

    /** @return the symbolic name */
    String name() {
        Object n = identity(IDENTITY);
        return n == null ? "" : n.toString();
    }

    /** @return the version */
    Version version() {
        Object v = identity("version");
        return v instanceof Version ver ? ver : v == null ? Version.emptyVersion : Version.parseVersion(v.toString());
    }

    /** @return osgi.bundle, osgi.fragment, … */
    String type() {
        Object t = identity("type");
        return t == null ? "" : t.toString();
    }

    /** @return the SHA-256 of the content (lower-case hex), empty if the index gives none */
    String sha256() {
        List<Capability> c = getCapabilities(CONTENT);
        Object h = c.isEmpty() ? null : c.get(0).getAttributes().get(CONTENT);
        return h == null ? "" : h.toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the content's URL as the index writes it */
    String url() {
        List<Capability> c = getCapabilities(CONTENT);
        Object u = c.isEmpty() ? null : c.get(0).getAttributes().get("url");
        return u == null ? "" : u.toString();
    }

    /** @return the content's size in bytes, -1 if unknown */
    long size() {
        List<Capability> c = getCapabilities(CONTENT);
        Object s = c.isEmpty() ? null : c.get(0).getAttributes().get("size");
        return s instanceof Long l ? l : -1;
    }

    @Override
    public String toString() {
        return name() + " " + version();
    }

    private record Cap(String namespace, Map<String, Object> attributes, Map<String, String> directives, Resource resource)
            implements Capability {
        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Map<String, String> getDirectives() {
            return directives;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public Resource getResource() {
            return resource;
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return namespace + attributes;
        }
    }

    private record Req(String namespace, Map<String, Object> attributes, Map<String, String> directives, Resource resource)
            implements Requirement {
        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Map<String, String> getDirectives() {
            return directives;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public Resource getResource() {
            return resource;
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return namespace + directives;
        }
    }
}
