package io.millwright.deploy.internal;

import io.millwright.deploy.api.BundleSpec;
import io.millwright.deploy.api.DeploymentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.VersionRange;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.HostedCapability;
import org.osgi.service.resolver.ResolutionException;
import org.osgi.service.resolver.ResolveContext;
import org.osgi.service.resolver.Resolver;

/**
 * The change a deployment makes, computed before anything is installed: the framework's resolver (Apache Felix's,
 * as the {@link Resolver} service) resolves the wanted bundles against the resolved bundles of the running framework
 * (their wirings stay as they are) and the repository's resources. What it wires from the repository is installed as
 * well; an update's dependency closure ({@link FrameworkWiring#getDependencyClosure}) is refreshed and its active
 * bundles restarted. Optional requirements are wired only to what is installed: a deployment brings what its bundles
 * need, not everything they could use.
 */
final class DryRun {

    /** An installed bundle replaced by a resource of the repository. */
    record Update(Bundle bundle, IndexResource with) {
    }

    /** The computed change. */
    record Change(List<IndexResource> install, List<Update> update, List<Bundle> refresh, List<Bundle> restart, List<String> unchanged) {
        /** @return every resource to fetch */
        List<IndexResource> fetch() {
            List<IndexResource> all = new ArrayList<>(install);
            update.forEach(u -> all.add(u.with()));
            return all;
        }
    }

    private DryRun() {
    }

    /**
     * @param context the agent's bundle context
     * @param resolver the framework's resolver
     * @param index the repository
     * @param wanted what the deployment asks for
     * @return the change
     * @throws DeploymentException when a bundle is not in the repository or the resolver cannot wire the change
     */
    static Change compute(BundleContext context, Resolver resolver, RepositoryIndex index, List<BundleSpec> wanted) throws DeploymentException {
        List<IndexResource> install = new ArrayList<>();
        List<Update> update = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Bundle[] bundles = context.getBundles();
        for (BundleSpec spec : wanted) {
            VersionRange range;
            try {
                range = new VersionRange(spec.version());
            } catch (IllegalArgumentException e) {
                throw new DeploymentException("bundles.version: '" + spec.version() + "' is not an OSGi version range (" + e.getMessage() + ")");
            }
            Bundle installed = null;
            for (Bundle b : bundles) {
                if (spec.name().equals(b.getSymbolicName())) {
                    installed = b;
                }
            }
            if (installed != null && range.includes(installed.getVersion())) {
                unchanged.add(installed.getSymbolicName() + " " + installed.getVersion());
                continue;
            }
            IndexResource best = index.best(spec.name(), range).orElseThrow(() -> new DeploymentException("the repository has no bundle "
                    + spec.name() + " in " + range + (index.resources().stream().anyMatch(r -> r.name().equals(spec.name()))
                            ? " (it has " + index.resources().stream().filter(r -> r.name().equals(spec.name())).map(r -> r.version().toString()).toList() + ")"
                            : "")));
            if (installed != null) {
                update.add(new Update(installed, best));
            } else {
                install.add(best);
            }
        }
        if (install.isEmpty() && update.isEmpty()) {
            return new Change(List.of(), List.of(), List.of(), List.of(), unchanged);
        }
        Set<Bundle> replaced = new LinkedHashSet<>();
        update.forEach(u -> replaced.add(u.bundle()));
        List<Resource> mandatory = new ArrayList<>(install);
        update.forEach(u -> mandatory.add(u.with()));
        Context ctx = new Context(bundles, replaced, index, mandatory);
        Map<Resource, List<org.osgi.resource.Wire>> result;
        try {
            result = resolver.resolve(ctx);
        } catch (ResolutionException e) {
            throw new DeploymentException("the framework's resolver cannot wire the deployment: " + e.getMessage());
        }
        for (Resource r : result.keySet()) {
            // bnd's synthetic resources stand for a multi-release jar's Java-version variants: resolved, never installed
            if (r instanceof IndexResource ir && !mandatory.contains(ir) && !ir.type().equals("bnd.synthetic")) {
                install.add(ir);
            }
        }
        List<Bundle> refresh = new ArrayList<>();
        List<Bundle> restart = new ArrayList<>();
        if (!replaced.isEmpty()) {
            Collection<Bundle> closure = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                    .getDependencyClosure(replaced);
            for (Bundle b : closure) {
                refresh.add(b);
                if (b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING) {
                    restart.add(b);
                }
            }
        }
        return new Change(install, update, refresh, restart, unchanged);
    }

    /** The resolve context: the running framework's resolved bundles plus the repository. */
    private static final class Context extends ResolveContext {
        private final List<Resource> installed = new ArrayList<>();
        private final Map<Resource, Wiring> wirings = new LinkedHashMap<>();
        private final RepositoryIndex index;
        private final List<Resource> mandatory;

        Context(Bundle[] bundles, Set<Bundle> replaced, RepositoryIndex index, List<Resource> mandatory) {
            this.index = index;
            this.mandatory = mandatory;
            for (Bundle b : bundles) {
                if (replaced.contains(b) || b.getState() == Bundle.UNINSTALLED) {
                    continue;
                }
                BundleWiring w = b.adapt(BundleWiring.class);
                if (w != null && w.isCurrent()) {
                    installed.add(w.getRevision());
                    wirings.put(w.getRevision(), w);
                }
            }
        }

        @Override
        public Collection<Resource> getMandatoryResources() {
            return mandatory;
        }

        @Override
        public List<Capability> findProviders(Requirement requirement) {
            Predicate<Capability> matches = matcher(requirement);
            List<Capability> out = new ArrayList<>();
            for (Resource r : installed) {
                Wiring w = wirings.get(r);
                for (Capability c : w.getResourceCapabilities(requirement.getNamespace())) {
                    if (matches.test(c)) {
                        out.add(c);
                    }
                }
            }
            boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
            if (!optional) {
                for (IndexResource r : index.resources()) {
                    for (Capability c : r.getCapabilities(requirement.getNamespace())) {
                        if (matches.test(c)) {
                            out.add(c);
                        }
                    }
                }
            }
            return out;
        }

        private static Predicate<Capability> matcher(Requirement requirement) {
            String f = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (f == null) {
                return c -> true;
            }
            Filter filter;
            try {
                filter = FrameworkUtil.createFilter(f);
            } catch (InvalidSyntaxException e) {
                return c -> false;
            }
            return c -> filter.matches(c.getAttributes());
        }

        @Override
        public int insertHostedCapability(List<Capability> capabilities, HostedCapability hosted) {
            capabilities.add(hosted);
            return capabilities.size() - 1;
        }

        @Override
        public boolean isEffective(Requirement requirement) {
            String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
            return effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective);
        }

        @Override
        public Map<Resource, Wiring> getWirings() {
            return wirings;
        }
    }

    /** @return {@code <name> <version>} */
    static String describe(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion();
    }
}
