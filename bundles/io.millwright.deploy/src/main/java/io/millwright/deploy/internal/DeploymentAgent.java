package io.millwright.deploy.internal;

import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.deploy.api.ConfigurationSpec;
import io.millwright.deploy.api.DeploymentException;
import io.millwright.deploy.api.DeploymentPlan;
import io.millwright.deploy.api.DeploymentRequest;
import io.millwright.deploy.api.DeploymentRequests;
import io.millwright.deploy.api.DeploymentStatus;
import io.millwright.deploy.api.Deployments;
import io.millwright.deploy.api.Phase;
import io.millwright.deploy.api.PhaseRecord;
import io.millwright.deploy.api.RepositoryInfo;
import io.millwright.deploy.internal.DeployStore.Artifact;
import io.millwright.driver.api.Device;
import io.millwright.identity.api.Role;
import io.millwright.journal.api.Journal;
import io.millwright.uplink.api.Uplink;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.resolver.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment agent ({@link Deployments}). One job at a time on the thread {@code deploy}: the repository's index
 * is fetched and its signature checked against the trust store, the framework's resolver computes the change (the
 * plan), the jars are fetched and their SHA-256 checked against the signed index, then — each phase written to
 * {@code <data>/deploy/job.json} before it starts — the bundles are installed, the configurations written, the bundles
 * started, and the health checks must pass within the window. If they do, the new set is committed; if not, or if
 * anything fails after the first install, the agent undoes the job by itself and reports why. At activation it
 * returns the framework to the committed set: an unfinished job (a restart or {@code kill -9} in any phase) is undone,
 * never left half-applied.
 */
@Component(service = Deployments.class, immediate = true, configurationPid = DeploymentAgent.PID)
@Designate(ocd = DeploymentAgent.Config.class)
public final class DeploymentAgent implements Deployments {

    static final String PID = "io.millwright.deploy";
    static final String REPOSITORY_PID = "io.millwright.deploy.repository";
    static final String LOCATION_PREFIX = "millwright-deploy:";
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentAgent.class);
    private static final int HISTORY = 50;

    /** The agent's settings. */
    @ObjectClassDefinition(name = "Millwright deployment agent", description = "Installs and updates bundles from signed repositories, health-gated")
    public @interface Config {
        /** @return the default health window */
        @AttributeDefinition(name = "Health window (s)", description = "how long a deployment's health checks may take to pass before it is rolled back", min = "5", max = "3600")
        int healthWindowSeconds() default 60;

        /** @return development flag */
        @AttributeDefinition(name = "Allow unsigned repositories (development only)", description = "accept an index without a signature; logged loudly at every use")
        boolean allowUnsignedRepositories() default false;

        /** @return the trust folder */
        @AttributeDefinition(name = "Trusted signers folder", description = "certificates (.crt/.pem) of trusted index signers; empty: <millwright.data.dir>/trust/repositories (the build's certificate is always trusted)")
        String trustFolder() default "";

        /** @return the model folder */
        @AttributeDefinition(name = "Model folder", description = "where deployed model packages go; empty: <millwright.data.dir>/models (the scoring engine's default)")
        String modelFolder() default "";

        /** @return the protected bundles */
        @AttributeDefinition(name = "Protected bundles", description = "symbolic names (a trailing * matches a prefix) that a deployment may not update, refresh or restart unless it says allowRestart")
        String[] protectedBundles() default {"io.millwright.journal.*", "io.millwright.ingest*", "io.millwright.uplink.*", "org.eclipse.paho.*",
            "io.millwright.http", "io.millwright.rest", "io.millwright.web", "org.apache.felix.http.*", "io.millwright.deploy*",
            "io.millwright.identity*", "io.millwright.audit*", "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.framework"};
    }

    /** A repository's configuration. */
    @ObjectClassDefinition(name = "Millwright deployment repository", description = "a signed OSGi R5 index deployments may install from (factory PID io.millwright.deploy.repository~<name>)")
    public @interface RepositoryConfig {
        /** @return the index's URL */
        @AttributeDefinition(name = "Index URL", description = "file:/…/index.xml or https://…/index.xml (its signature is index.xml.sig next to it)")
        String url();
    }

    private final BundleContext context;
    private final Config config;
    /** the framework's resolver: the org.apache.felix.resolver bundle registers it (its manifest does not say so, hence optional) */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Resolver resolver;
    /** the gateway's health checks (Apache Felix Health Checks, tag millwright): a deployment may make none of them worse */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile org.apache.felix.hc.api.execution.HealthCheckExecutor healthChecks;
    private final ConfigurationAdmin configAdmin;
    private final AuditTrail audit;
    private final Journal journal;
    private final ServiceComponentRuntime scr;
    private final IndexTrust trust;
    private final DeployStore store;
    private final RepositoryClient client = new RepositoryClient();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final List<Uplink> uplinks = new CopyOnWriteArrayList<>();
    private final List<io.millwright.analytics.api.ModelInventory> inventories = new CopyOnWriteArrayList<>();
    private final Path modelFolder;
    private final Map<String, Job> jobs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ExecutorService thread;
    private final AtomicInteger counter = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();

    /** A deployment's mutable state, on the agent's thread. */
    private final class Job {
        final String id;
        final DeploymentRequest request;
        final String actor;
        final String role;
        final String source;
        final String address;
        final Instant created;
        final List<PhaseRecord> phases = new ArrayList<>();
        volatile Phase phase = Phase.QUEUED;
        volatile int progress;
        volatile String reason = "";
        volatile DeploymentPlan plan;
        volatile List<String> installedAfter = List.of();

        Job(String id, DeploymentRequest request, String actor, String role, String source, String address, Instant created) {
            this.id = id;
            this.request = request;
            this.actor = actor;
            this.role = role;
            this.source = source;
            this.address = address;
            this.created = created;
        }

        DeploymentStatus status() {
            synchronized (phases) {
                return new DeploymentStatus(id, request, actor, source, phase, progress, reason, plan, phases, created, installedAfter);
            }
        }

        void reach(Phase p, int percent, String detail) {
            synchronized (phases) {
                phase = p;
                progress = percent;
                phases.add(new PhaseRecord(p, clock.instant(), detail));
            }
            LOG.info("deploy {}: {} ({} %) {}", id, p, percent, detail);
            report(this, detail);
        }
    }

    /**
     * @param context the agent's bundle
     * @param config its settings
     * @param configAdmin where repositories are configured and deployments write configurations
     * @param audit the audit trail
     * @param journal the journal (committing is a health check)
     * @param scr the component runtime (satisfied components are a health check)
     * @throws IOException when the agent's folder cannot be created
     */
    @Activate
    public DeploymentAgent(BundleContext context, Config config, @Reference ConfigurationAdmin configAdmin,
            @Reference AuditTrail audit, @Reference Journal journal, @Reference ServiceComponentRuntime scr) throws IOException {
        this.context = context;
        this.config = config;
        this.configAdmin = configAdmin;
        this.audit = audit;
        this.journal = journal;
        this.scr = scr;
        String data = context.getProperty("millwright.data.dir");
        Path dataDir = Path.of(data == null ? "data" : data);
        this.trust = IndexTrust.withBuiltIn(config.trustFolder().isBlank() ? dataDir.resolve("trust").resolve("repositories") : Path.of(config.trustFolder()));
        this.store = new DeployStore(dataDir.resolve("deploy"));
        this.modelFolder = config.modelFolder().isBlank() ? dataDir.resolve("models") : Path.of(config.modelFolder());
        if (config.allowUnsignedRepositories()) {
            LOG.warn("deploy: DEVELOPMENT FLAG allowUnsignedRepositories is set: indexes without a signature are accepted — never on a plant");
        }
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deploy");
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::recover);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** @param device a device (its id is what deployments expect to reach ONLINE) */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device) {
        devices.put(device.id(), device);
    }

    void unbindDevice(Device device) {
        devices.remove(device.id(), device);
    }

    /** @param uplink where phases are reported */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUplink(Uplink uplink) {
        uplinks.add(uplink);
    }

    void unbindUplink(Uplink uplink) {
        uplinks.remove(uplink);
    }

    /** @param inventory a scoring engine's models (a deployed model package is healthy once it is there) */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInventory(io.millwright.analytics.api.ModelInventory inventory) {
        inventories.add(inventory);
    }

    void unbindInventory(io.millwright.analytics.api.ModelInventory inventory) {
        inventories.remove(inventory);
    }

    // ---- the service

    @Override
    public DeploymentPlan plan(DeploymentRequest request) throws DeploymentException {
        Loaded repo = load(request.repository());
        return plan(repo, DryRun.compute(context, resolver(), repo.index(), request.bundles()), request);
    }

    @Override
    public DeploymentStatus submit(DeploymentRequest request, String actor, String role, String source, String address) {
        if (!Role.ADMIN.id().equals(role)) {
            audit.record(AuditEvent.of(actor, role, source, address, "deploy.submit", request.repository(), AuditEvent.REFUSED,
                    "needs the role admin"));
            throw new SecurityException(actor + " (" + role + ") may not deploy: needs admin");
        }
        String id = "d-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant()) + "-"
                + counter.incrementAndGet();
        Job job = new Job(id, request, actor, role, source, address, clock.instant());
        synchronized (jobs) {
            jobs.put(id, job);
            while (jobs.size() > HISTORY) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        audit.record(new AuditEvent(actor, role, source, address, "deploy.submit", id, Map.of(),
                Map.of("request", DeploymentRequests.toJson(request).toString()), AuditEvent.OK, "queued"));
        synchronized (job.phases) {
            job.phases.add(new PhaseRecord(Phase.QUEUED, job.created, "queued by " + actor + " (" + source + ")"));
        }
        report(job, "queued");
        thread.execute(() -> run(job));
        return job.status();
    }

    @Override
    public List<DeploymentStatus> list() {
        List<DeploymentStatus> out = new ArrayList<>();
        synchronized (jobs) {
            jobs.values().forEach(j -> out.add(j.status()));
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public Optional<DeploymentStatus> status(String id) {
        Job j = jobs.get(id);
        return j == null ? Optional.empty() : Optional.of(j.status());
    }

    @Override
    public List<String> deployed() {
        try {
            return store.committed().stream().map(Artifact::describe).toList();
        } catch (IOException e) {
            return List.of("unreadable: " + e.getMessage());
        }
    }

    /**
     * What the framework runs of the committed set, as checked in the framework — not what the files say: each
     * committed bundle with the version and state found ({@code missing} when it is not installed), and any bundle the
     * agent installed that the committed set does not name ({@code not committed}).
     */
    private List<String> running() {
        List<String> out = new ArrayList<>();
        Set<String> committed = new LinkedHashSet<>();
        try {
            for (Artifact a : store.committed()) {
                committed.add(a.name());
                Bundle found = null;
                for (Bundle b : context.getBundles()) {
                    if (a.name().equals(b.getSymbolicName())) {
                        found = b;
                    }
                }
                out.add(found == null ? a.describe() + " (missing)"
                        : found.getVersion().toString().equals(a.version()) ? DryRun.describe(found) + " (" + state(found) + ")"
                                : DryRun.describe(found) + " (" + state(found) + "; committed " + a.version() + ")");
            }
        } catch (IOException e) {
            out.add("committed set unreadable: " + e.getMessage());
        }
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX) && !committed.contains(b.getSymbolicName())) {
                out.add(DryRun.describe(b) + " (" + state(b) + "; not committed)");
            }
        }
        return out;
    }

    @Override
    public List<RepositoryInfo> repositories() {
        List<RepositoryInfo> out = new ArrayList<>();
        for (Map.Entry<String, String> r : repositoryUrls().entrySet()) {
            try {
                Loaded l = load(r.getKey());
                out.add(new RepositoryInfo(r.getKey(), r.getValue(), l.signer(), true,
                        l.index().resources().stream().map(IndexResource::toString).sorted().toList()));
            } catch (DeploymentException e) {
                out.add(new RepositoryInfo(r.getKey(), r.getValue(), e.getMessage(), false, List.of()));
            }
        }
        return out;
    }

    // ---- files received in pieces

    @Override
    public synchronized io.millwright.deploy.api.ChunkReceipt receive(io.millwright.deploy.api.ArtifactChunk chunk, String actor, String role,
            String source, String address) {
        String target = chunk.repository() + "/" + chunk.file();
        if (!Role.ADMIN.id().equals(role)) {
            audit.record(AuditEvent.of(actor, role, source, address, "deploy.artifact", target, AuditEvent.REFUSED, "needs the role admin"));
            throw new SecurityException(actor + " (" + role + ") may not send artifacts: needs admin");
        }
        try {
            Path folder = store.folder().resolve("repositories").resolve(chunk.repository());
            Files.createDirectories(folder);
            Path part = folder.resolve(chunk.file() + ".part");
            Path done = folder.resolve(chunk.file());
            if (Files.exists(done) && !Files.exists(part) && Files.size(done) == chunk.total()
                    && sha256(Files.readAllBytes(done)).equals(chunk.sha256())) {
                return new io.millwright.deploy.api.ChunkReceipt(chunk.repository(), chunk.file(), chunk.total(), chunk.total(), true);
            }
            if (chunk.offset() == 0 && Files.exists(part)) {
                Files.delete(part); // a new transfer of the file starts over
            }
            long received = Files.exists(part) ? Files.size(part) : 0;
            if (chunk.offset() > received) {
                throw new IllegalStateException("artifact " + target + ": a piece at offset " + chunk.offset() + " does not continue the "
                        + received + " bytes received: send from offset " + received);
            }
            long skip = received - chunk.offset(); // a piece sent again (a lost reply): what is new in it is appended
            if (skip < chunk.data().length) {
                try (var out = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.APPEND)) {
                    out.write(java.nio.ByteBuffer.wrap(chunk.data(), (int) skip, chunk.data().length - (int) skip));
                    out.force(true);
                }
                received = Files.size(part);
            }
            if (received < chunk.total()) {
                return new io.millwright.deploy.api.ChunkReceipt(chunk.repository(), chunk.file(), received, chunk.total(), false);
            }
            String actual = sha256(Files.readAllBytes(part));
            if (!actual.equals(chunk.sha256())) {
                Files.delete(part);
                audit.record(AuditEvent.of(actor, role, source, address, "deploy.artifact", target, AuditEvent.REFUSED,
                        "SHA-256 " + actual + ", announced " + chunk.sha256()));
                throw new IllegalStateException("artifact " + target + ": the " + received + " bytes received have SHA-256 " + actual
                        + ", not the announced " + chunk.sha256() + ": discarded, send it again from offset 0");
            }
            Files.move(part, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            audit.record(new AuditEvent(actor, role, source, address, "deploy.artifact", target, Map.of(),
                    Map.of("sha256", actual, "bytes", Long.toString(received)), AuditEvent.OK, "received in pieces"));
            LOG.info("deploy: {} received ({} bytes) into the local repository {}", chunk.file(), received, folder);
            return new io.millwright.deploy.api.ChunkReceipt(chunk.repository(), chunk.file(), received, chunk.total(), true);
        } catch (IOException e) {
            throw new IllegalStateException("artifact " + target + ": cannot be stored: " + e.getMessage(), e);
        }
    }

    // ---- repositories

    /** A repository's verified index. */
    record Loaded(String name, URI url, RepositoryIndex index, String signer) {
    }

    private Map<String, String> repositoryUrls() {
        Map<String, String> out = new java.util.TreeMap<>();
        // local repositories received in pieces (the MQTT command artifact): usable once their index is there
        Path local = store.folder().resolve("repositories");
        if (Files.isDirectory(local)) {
            try (var dirs = Files.list(local)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("index.xml"))).forEach(d -> out.put(d.getFileName().toString(), d.resolve("index.xml").toUri().toString()));
            } catch (IOException e) {
                LOG.warn("deploy: cannot list the local repositories in {}: {}", local, e.toString());
            }
        }
        try {
            Configuration[] cs = configAdmin.listConfigurations("(service.factoryPid=" + REPOSITORY_PID + ")");
            for (Configuration c : cs == null ? new Configuration[0] : cs) {
                String pid = c.getPid();
                String name = pid.contains("~") ? pid.substring(pid.indexOf('~') + 1) : pid;
                Object url = c.getProperties() == null ? null : c.getProperties().get("url");
                out.put(name, url == null ? "" : url.toString());
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("deploy: cannot list the repositories: {}", e.toString());
        }
        return out;
    }

    private Loaded load(String name) throws DeploymentException {
        Map<String, String> urls = repositoryUrls();
        String url = urls.get(name);
        if (url == null) {
            throw new DeploymentException("repository: '" + name + "' is not configured (configured: " + urls.keySet()
                    + "; add one as " + REPOSITORY_PID + "~" + name + " with url=…)");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new DeploymentException("repository " + name + ": url '" + url + "' is not a URL");
        }
        byte[] index;
        byte[] signature;
        try {
            index = client.fetch(uri, RepositoryClient.MAX_INDEX_BYTES);
            if (index == null) {
                throw new DeploymentException("repository " + name + ": no index at " + uri);
            }
            signature = client.fetch(URI.create(uri + ".sig"), 64 * 1024);
        } catch (IOException e) {
            throw new DeploymentException("repository " + name + ": " + e.getMessage());
        }
        String signer;
        if (signature == null) {
            if (!config.allowUnsignedRepositories()) {
                throw new DeploymentException("repository " + name + ": refused: the index " + uri + " is unsigned (no " + uri + ".sig); "
                        + "sign it with feature-repos/sign-index.java and trust the signer's certificate in " + trust.folder());
            }
            LOG.warn("deploy: DEVELOPMENT FLAG: using the UNSIGNED index {} of repository {}", uri, name);
            signer = "unsigned (development)";
        } else {
            try {
                signer = trust.verify(index, signature);
            } catch (GeneralSecurityException e) {
                throw new DeploymentException("repository " + name + ": refused: " + e.getMessage());
            }
        }
        try {
            return new Loaded(name, uri, RepositoryIndex.parse(index), signer);
        } catch (IOException e) {
            throw new DeploymentException("repository " + name + ": " + e.getMessage());
        }
    }

    private DeploymentPlan plan(Loaded repo, DryRun.Change change, DeploymentRequest request) {
        List<String> update = change.update().stream().map(u -> DryRun.describe(u.bundle()) + " -> " + u.with().version()).toList();
        List<String> refresh = change.refresh().stream().map(DryRun::describe).toList();
        List<String> restart = change.restart().stream().map(DryRun::describe).toList();
        Set<String> touched = new LinkedHashSet<>();
        for (Bundle b : change.refresh()) {
            if (isProtected(b.getSymbolicName())) {
                touched.add(b.getSymbolicName());
            }
        }
        change.update().stream().map(u -> u.bundle().getSymbolicName()).filter(this::isProtected).forEach(touched::add);
        long bytes = change.fetch().stream().mapToLong(r -> Math.max(0, r.size())).sum();
        return new DeploymentPlan(repo.name(), repo.signer(), change.install().stream().map(IndexResource::toString).toList(), update, refresh,
                restart, change.unchanged(), request.configurations().stream().map(ConfigurationSpec::pid).toList(),
                request.models().stream().map(io.millwright.deploy.api.ModelSpec::file).toList(), List.copyOf(touched), bytes);
    }

    private Resolver resolver() throws DeploymentException {
        Resolver r = resolver;
        if (r == null) {
            throw new DeploymentException("the framework's resolver service is not running (bundle org.apache.felix.resolver): nothing can be resolved");
        }
        return r;
    }

    private boolean isProtected(String bsn) {
        for (String p : config.protectedBundles()) {
            if (p.endsWith("*") ? bsn.startsWith(p.substring(0, p.length() - 1)) : bsn.equals(p)) {
                return true;
            }
        }
        return false;
    }

    // ---- the job

    /** What the job has changed, to undo it. */
    private static final class Applied {
        final List<Bundle> installed = new ArrayList<>();
        final Map<Bundle, String> updated = new LinkedHashMap<>(); // bundle -> sha256 of its old content
        final Map<String, Dictionary<String, Object>> configurations = new LinkedHashMap<>(); // pid -> before (null: none)
        final List<Path> models = new ArrayList<>();

        boolean isEmpty() {
            return installed.isEmpty() && updated.isEmpty() && configurations.isEmpty() && models.isEmpty();
        }
    }

    /** A model package fetched and checked, with what its model.properties says. */
    private record FetchedModel(io.millwright.deploy.api.ModelSpec spec, String sha256, String id, String version) {
        String describe() {
            return spec.file() + " (" + id + " " + version + ")";
        }
    }

    private void run(Job job) {
        Applied applied = new Applied();
        Map<String, Checked> healthBefore = healthChecks();
        try {
            Loaded repo = load(job.request.repository());
            DryRun.Change change = DryRun.compute(context, resolver(), repo.index(), job.request.bundles());
            DeploymentPlan plan = plan(repo, change, job.request);
            job.plan = plan;
            if (!plan.protectedTouched().isEmpty() && !job.request.allowRestart()) {
                throw new DeploymentException("refused: the deployment would update, refresh or restart protected bundles "
                        + plan.protectedTouched() + " (the data path); say allowRestart to mean it");
            }
            List<IndexResource> fetch = change.fetch();
            long bytes = 0;
            int n = 0;
            for (IndexResource r : fetch) {
                bytes += download(repo, r);
                n++;
                job.progress = 5 + 25 * n / Math.max(1, fetch.size());
            }
            List<FetchedModel> models = new ArrayList<>();
            for (io.millwright.deploy.api.ModelSpec m : job.request.models()) {
                FetchedModel f = downloadModel(repo, m);
                bytes += Files.size(store.artifact(f.sha256()));
                models.add(f);
            }
            job.reach(Phase.DOWNLOADED, 30, "index of " + repo.name() + " (" + repo.url() + ") and " + fetch.size() + " jar(s)"
                    + (models.isEmpty() ? "" : ", " + models.size() + " model package(s)") + ", " + bytes + " bytes");
            job.reach(Phase.VERIFIED, 35, "index signed by " + repo.signer() + "; " + fetch.size() + " SHA-256 match the index"
                    + (models.isEmpty() ? "" : "; models " + models.stream().map(FetchedModel::describe).toList()
                            + " (their own signatures are checked by the scoring engine)"));
            job.reach(Phase.RESOLVED, 40, "install " + plan.install() + ", update " + plan.update() + ", refresh " + plan.refresh() + ", restart "
                    + plan.restart() + ", configurations " + plan.configurations() + (plan.unchanged().isEmpty() ? "" : ", unchanged " + plan.unchanged()));
            writeJob(job, Phase.STAGED, change, applied);
            stage(job, change, applied);
            writeJob(job, Phase.STAGED, change, applied);
            job.reach(Phase.STAGED, 60, applied.installed.size() + " installed, " + applied.updated.size() + " updated, "
                    + applied.configurations.size() + " configuration(s) written");
            writeJob(job, Phase.STARTED, change, applied);
            for (Bundle b : applied.installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            long auditFrom = audit.lastSequence() + 1;
            for (FetchedModel m : models) {
                Path target = modelFolder.resolve(m.spec().file());
                applied.models.add(target);
                writeJob(job, Phase.STARTED, change, applied);
                placeModel(m, target);
            }
            job.reach(Phase.STARTED, 70, "started" + (models.isEmpty() ? "" : ", model package(s) in " + modelFolder) + "; health window " + window(job) + " s");
            String unhealthy = health(job, applied, models, auditFrom, healthBefore);
            if (unhealthy != null) {
                rollBack(job, applied, "health checks failed within " + window(job) + " s: " + unhealthy);
                return;
            }
            List<Artifact> set = new ArrayList<>();
            Set<String> replacedNames = new LinkedHashSet<>();
            change.fetch().forEach(r -> replacedNames.add(r.name()));
            for (Artifact a : store.committed()) {
                if (!replacedNames.contains(a.name())) {
                    set.add(a);
                }
            }
            change.fetch().forEach(r -> set.add(new Artifact(r.name(), r.version().toString(), r.sha256())));
            store.commit(new DeployStore.DeployedSet(job.id, set));
            store.clearJob();
            job.installedAfter = running();
            job.reach(Phase.HEALTHY, 100, "committed: " + job.installedAfter);
            audit.record(new AuditEvent(job.actor, job.role, job.source, job.address, "deploy.commit", job.id, Map.of(),
                    Map.of("deployed", String.join(", ", job.installedAfter)), AuditEvent.OK, "healthy"));
        } catch (DeploymentException e) {
            if (applied.isEmpty()) {
                fail(job, e.getMessage());
            } else {
                rollBack(job, applied, e.getMessage());
            }
        } catch (BundleException | IOException | RuntimeException e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (applied.isEmpty()) {
                fail(job, why);
            } else {
                rollBack(job, applied, why);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the gateway is stopping: job.json stays, the next start undoes the job
        }
    }

    private int window(Job job) {
        return job.request.healthWindowSeconds() > 0 ? job.request.healthWindowSeconds() : config.healthWindowSeconds();
    }

    private long download(Loaded repo, IndexResource r) throws DeploymentException, IOException {
        if (r.sha256().isEmpty()) {
            throw new DeploymentException("refused: the index gives no SHA-256 for " + r);
        }
        if (Files.exists(store.artifact(r.sha256()))) {
            return 0;
        }
        URI uri = RepositoryClient.artifact(repo.url(), r.url());
        byte[] bytes = client.fetch(uri, RepositoryClient.MAX_JAR_BYTES);
        if (bytes == null) {
            throw new DeploymentException("repository " + repo.name() + ": " + r + " is not at " + uri);
        }
        String actual = sha256(bytes);
        if (!actual.equals(r.sha256())) {
            throw new DeploymentException("refused: " + r + " from " + uri + " has SHA-256 " + actual + ", the signed index says " + r.sha256());
        }
        store.putArtifact(actual, bytes);
        return bytes.length;
    }

    private FetchedModel downloadModel(Loaded repo, io.millwright.deploy.api.ModelSpec m) throws DeploymentException, IOException {
        URI uri = RepositoryClient.artifact(repo.url(), m.file());
        byte[] bytes = client.fetch(uri, RepositoryClient.MAX_JAR_BYTES);
        if (bytes == null) {
            throw new DeploymentException("repository " + repo.name() + ": model package " + m.file() + " is not at " + uri);
        }
        String actual = sha256(bytes);
        if (!m.sha256().isEmpty() && !actual.equals(m.sha256())) {
            throw new DeploymentException("refused: model package " + m.file() + " from " + uri + " has SHA-256 " + actual + ", the deployment says "
                    + m.sha256());
        }
        java.util.Properties p = new java.util.Properties();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null;) {
                if (e.getName().equals("model.properties")) {
                    p.load(new java.io.InputStreamReader(new ByteArrayInputStream(zip.readNBytes(64 * 1024)), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DeploymentException("refused: model package " + m.file() + " is not a model package: " + e.getMessage());
        }
        String id = p.getProperty("model.id", "");
        String version = p.getProperty("model.version", "");
        if (id.isEmpty() || version.isEmpty()) {
            throw new DeploymentException("refused: model package " + m.file() + " has no model.id and model.version in its model.properties");
        }
        store.putArtifact(actual, bytes);
        return new FetchedModel(m, actual, id, version);
    }

    /** Puts a package into the model folder in one step (the scoring engine never sees half a file), owner-only. */
    private void placeModel(FetchedModel m, Path target) throws IOException {
        Files.createDirectories(modelFolder);
        Path part = modelFolder.resolve(m.spec().file() + ".part");
        Files.copy(store.artifact(m.sha256()), part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.setPosixFilePermissions(part, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX filesystem: the folder's own protection applies
        }
        Files.move(part, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void stage(Job job, DryRun.Change change, Applied applied) throws IOException, BundleException, DeploymentException, InterruptedException {
        int level = deploymentStartLevel();
        for (IndexResource r : change.install()) {
            try (InputStream in = Files.newInputStream(store.artifact(r.sha256()))) {
                Bundle b = context.installBundle(LOCATION_PREFIX + r.name(), in);
                applied.installed.add(b);
                b.adapt(BundleStartLevel.class).setStartLevel(level);
            }
        }
        for (DryRun.Update u : change.update()) {
            byte[] old = oldContent(u.bundle());
            String oldSha = sha256(old);
            store.putArtifact(oldSha, old);
            applied.updated.put(u.bundle(), oldSha);
            try (InputStream in = Files.newInputStream(store.artifact(u.with().sha256()))) {
                u.bundle().update(in);
            }
        }
        if (!applied.updated.isEmpty()) {
            refresh(applied.updated.keySet());
        }
        for (ConfigurationSpec c : job.request.configurations()) {
            Configuration cfg = configAdmin.getFactoryConfiguration(c.factoryPid(), c.name(), "?");
            Dictionary<String, Object> before = cfg.getProperties();
            applied.configurations.put(c.pid(), before);
            writeJob(job, Phase.STAGED, change, applied);
            cfg.update(new Hashtable<>(c.properties()));
        }
    }

    private static byte[] oldContent(Bundle b) throws DeploymentException {
        try (InputStream in = URI.create(b.getLocation()).toURL().openStream()) {
            return in.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            throw new DeploymentException("cannot keep the current content of " + DryRun.describe(b) + " (location " + b.getLocation()
                    + ") for a rollback: not updated");
        }
    }

    private int deploymentStartLevel() {
        int active = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class).getStartLevel();
        return Math.max(1, Math.min(10, active));
    }

    private void refresh(java.util.Collection<Bundle> bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(bundles, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED || e.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        done.await(60, TimeUnit.SECONDS);
    }

    /** A health check's result. */
    private record Checked(org.apache.felix.hc.api.Result.Status status, String messages) {
    }

    /** @return the results of the gateway's health checks (tag millwright) by name; null when no executor runs */
    private Map<String, Checked> healthChecks() {
        var executor = healthChecks;
        if (executor == null) {
            return null;
        }
        Map<String, Checked> out = new LinkedHashMap<>();
        for (var r : executor.execute(org.apache.felix.hc.api.execution.HealthCheckSelector.tags("millwright"))) {
            StringBuilder m = new StringBuilder();
            for (var e : r.getHealthCheckResult()) {
                if (e.getStatus() != org.apache.felix.hc.api.Result.Status.OK) {
                    m.append(m.length() == 0 ? "" : "; ").append(e.getMessage());
                }
            }
            out.put(r.getHealthCheckMetadata().getName(), new Checked(r.getHealthCheckResult().getStatus(), m.toString()));
        }
        return out;
    }

    /**
     * The health gate, checked every half second until it passes or the window closes: every bundle the job installed
     * or updated is active (fragments resolved); none of their components failed to activate (at once) or is
     * unsatisfied; each model package is served (a refusal fails at once); each expected device is ONLINE; the journal
     * is not stuck (queued samples and no commit since the start); and none of the gateway's health checks is worse
     * than before the job (without a health check executor: every uplink connected before is connected).
     *
     * @return null when healthy, otherwise what failed
     */
    private String health(Job job, Applied applied, List<FetchedModel> models, long auditFrom, Map<String, Checked> healthBefore)
            throws InterruptedException {
        List<Bundle> mine = new ArrayList<>(applied.installed);
        mine.addAll(applied.updated.keySet());
        Set<String> expected = new LinkedHashSet<>(job.request.expectDevices());
        for (ConfigurationSpec c : job.request.configurations()) {
            Object d = c.properties().get("deviceId");
            if (d != null) {
                expected.add(d.toString());
            }
        }
        Set<String> connectedBefore = new LinkedHashSet<>();
        uplinks.forEach(u -> {
            if (u.status().connected()) {
                connectedBefore.add(u.name());
            }
        });
        long commitsBefore = journal.statistics().commits();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(window(job));
        String problems;
        do {
            List<String> p = new ArrayList<>();
            for (Bundle b : mine) {
                boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                if (fragment ? b.getState() != Bundle.RESOLVED : b.getState() != Bundle.ACTIVE) {
                    p.add("bundle " + DryRun.describe(b) + " is " + state(b));
                }
                for (var d : scr.getComponentDescriptionDTOs(b)) {
                    for (var c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state == org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.FAILED_ACTIVATION) {
                            return "component " + d.name + " of " + DryRun.describe(b) + " failed to activate: " + firstLine(c.failure);
                        }
                        if (c.state == org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                                || c.state == org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                            List<String> refs = new ArrayList<>();
                            for (var u : c.unsatisfiedReferences) {
                                refs.add(u.name);
                            }
                            p.add("component " + d.name + " is unsatisfied" + (refs.isEmpty() ? "" : " (missing " + refs + ")"));
                        }
                    }
                }
            }
            for (String id : expected) {
                Device d = devices.get(id);
                if (d == null) {
                    p.add("device " + id + " is not registered");
                } else if (d.status().state() != io.millwright.driver.api.DeviceState.ONLINE) {
                    p.add("device " + id + " is " + d.status().state() + (d.status().message() == null ? "" : ": " + d.status().message()));
                }
            }
            for (FetchedModel m : models) {
                String refusal = modelRefusal(m, auditFrom);
                if (refusal != null) {
                    return "model package " + m.describe() + " refused by the scoring engine: " + refusal;
                }
                if (!modelServed(m)) {
                    p.add("model " + m.id() + " " + m.version() + " is not scoring (in service or in shadow) yet"
                            + (inventories.isEmpty() ? ": no scoring engine is running" : ""));
                }
            }
            var journalNow = journal.statistics();
            if (journalNow.pendingSamples() > 0 && journalNow.commits() <= commitsBefore) {
                p.add("the journal has " + journalNow.pendingSamples() + " samples queued and has not committed since the start");
            }
            Map<String, Checked> now = healthBefore == null ? null : healthChecks();
            if (now == null) {
                for (Uplink u : uplinks) {
                    if (connectedBefore.contains(u.name()) && !u.status().connected()) {
                        p.add("uplink " + u.name() + " was connected and is not: " + u.status().lastError());
                    }
                }
            } else {
                // the gateway's own checks (journal, uplink, devices, components, bundles, disk, clock): none worse than before
                for (Map.Entry<String, Checked> c : now.entrySet()) {
                    if (c.getKey().equals("Clock")) {
                        continue; // a clock step is not the deployment's doing
                    }
                    Checked was = healthBefore.get(c.getKey());
                    var before = was == null ? org.apache.felix.hc.api.Result.Status.OK : was.status();
                    if (c.getValue().status().ordinal() > before.ordinal()) {
                        p.add("health check " + c.getKey() + " is " + c.getValue().status() + " (was " + before + "): " + c.getValue().messages());
                    }
                }
            }
            problems = p.isEmpty() ? null : String.join("; ", p);
            if (problems == null) {
                return null;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return problems;
    }

    private boolean modelServed(FetchedModel m) {
        for (var inventory : inventories) {
            for (var status : inventory.models()) {
                if (status.id().equals(m.id()) && (status.version().equals(m.version()) || m.version().equals(status.candidateVersion()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return why the scoring engine refused the package (its audit entry since the job placed it), or null */
    private String modelRefusal(FetchedModel m, long auditFrom) {
        for (var e : audit.read(auditFrom, 1000)) {
            if (e.event().action().equals("model.refused") && e.event().target().endsWith(m.spec().file())) {
                return e.event().detail();
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no reason given)";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private void fail(Job job, String reason) {
        job.reason = reason;
        job.installedAfter = running();
        try {
            store.clearJob();
        } catch (IOException e) {
            LOG.warn("deploy {}: cannot remove the job file: {}", job.id, e.toString());
        }
        job.reach(Phase.FAILED, 100, reason);
        audit.record(AuditEvent.of(job.actor, job.role, job.source, job.address, "deploy.fail", job.id, AuditEvent.FAILED, reason));
    }

    /** Undoes what the job did, in reverse, then reports what the framework runs. */
    private void rollBack(Job job, Applied applied, String reason) {
        List<String> trouble = new ArrayList<>();
        undo(applied.installed, applied.updated, applied.configurations, applied.models, trouble);
        job.reason = reason + (trouble.isEmpty() ? "" : " (rollback trouble: " + String.join("; ", trouble) + ")");
        try {
            store.clearJob();
        } catch (IOException e) {
            trouble.add("job file: " + e.getMessage());
        }
        job.installedAfter = running();
        job.reach(Phase.ROLLED_BACK, 100, job.reason + "; running " + job.installedAfter);
        audit.record(AuditEvent.of(job.actor, job.role, job.source, job.address, "deploy.rollback", job.id,
                trouble.isEmpty() ? AuditEvent.OK : AuditEvent.FAILED, job.reason));
    }

    private void undo(List<Bundle> installed, Map<Bundle, String> updated, Map<String, Dictionary<String, Object>> configurations,
            List<Path> models, List<String> trouble) {
        for (Path m : models) {
            try {
                Files.deleteIfExists(m); // the scoring engine withdraws the version and hands back to the one before
            } catch (IOException e) {
                trouble.add("model package " + m + ": " + e.getMessage());
            }
        }
        List<String> pids = new ArrayList<>(configurations.keySet());
        Collections.reverse(pids);
        for (String pid : pids) {
            try {
                Dictionary<String, Object> before = configurations.get(pid);
                String factory = pid.substring(0, pid.indexOf('~'));
                Configuration c = configAdmin.getFactoryConfiguration(factory, pid.substring(pid.indexOf('~') + 1), "?");
                if (before == null) {
                    c.delete();
                } else {
                    c.update(before);
                }
            } catch (IOException | RuntimeException e) {
                trouble.add("configuration " + pid + ": " + e.getMessage());
            }
        }
        for (Bundle b : installed) {
            try {
                if (b.getState() != Bundle.UNINSTALLED) {
                    b.uninstall();
                }
            } catch (BundleException | RuntimeException e) {
                trouble.add("uninstall " + DryRun.describe(b) + ": " + e.getMessage());
            }
        }
        for (Map.Entry<Bundle, String> u : updated.entrySet()) {
            try (InputStream in = Files.newInputStream(store.artifact(u.getValue()))) {
                u.getKey().update(in);
            } catch (IOException | BundleException | RuntimeException e) {
                trouble.add("restore " + DryRun.describe(u.getKey()) + ": " + e.getMessage());
            }
        }
        List<Bundle> touched = new ArrayList<>(installed);
        touched.addAll(updated.keySet());
        if (!touched.isEmpty()) {
            try {
                refresh(touched);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the job file and recovery

    private void writeJob(Job job, Phase next, DryRun.Change change, Applied applied) throws IOException {
        JsonArrayBuilder installed = Json.createArrayBuilder();
        change.install().forEach(r -> installed.add(r.name()));
        JsonObjectBuilder updated = Json.createObjectBuilder();
        applied.updated.forEach((b, sha) -> updated.add(b.getSymbolicName(), sha));
        JsonObjectBuilder configurations = Json.createObjectBuilder();
        applied.configurations.forEach((pid, before) -> configurations.add(pid, before == null ? JsonValue.NULL : ConfigurationValues.toJson(before)));
        JsonArrayBuilder models = Json.createArrayBuilder();
        applied.models.forEach(m -> models.add(m.toString()));
        store.writeJob(Json.createObjectBuilder().add("id", job.id).add("phase", next.name()).add("actor", job.actor).add("role", job.role)
                .add("source", job.source).add("created", job.created.toString()).add("request", DeploymentRequests.toJson(job.request))
                .add("install", installed).add("updated", updated).add("configurations", configurations).add("models", models).build());
    }

    /**
     * Returns the framework to the committed set: an unfinished job is undone (its bundles uninstalled, updated ones
     * restored, its configurations removed or restored), then every committed bundle missing from the framework (the
     * launcher starts from its own bundles) is installed and started from the kept jars.
     */
    private void recover() {
        try {
            JsonObject job = store.job();
            if (job != null) {
                String id = job.getString("id");
                String phase = job.getString("phase");
                List<Bundle> installed = new ArrayList<>();
                for (JsonValue v : job.getJsonArray("install")) {
                    Bundle b = context.getBundle(LOCATION_PREFIX + ((jakarta.json.JsonString) v).getString());
                    if (b != null) {
                        installed.add(b);
                    }
                }
                Map<Bundle, String> updated = new LinkedHashMap<>();
                for (Map.Entry<String, JsonValue> u : job.getJsonObject("updated").entrySet()) {
                    for (Bundle b : context.getBundles()) {
                        if (u.getKey().equals(b.getSymbolicName())) {
                            updated.put(b, ((jakarta.json.JsonString) u.getValue()).getString());
                        }
                    }
                }
                Map<String, Dictionary<String, Object>> configurations = new LinkedHashMap<>();
                for (Map.Entry<String, JsonValue> c : job.getJsonObject("configurations").entrySet()) {
                    configurations.put(c.getKey(), ConfigurationValues.isNull(c.getValue()) ? null : ConfigurationValues.fromJson(c.getValue().asJsonObject()));
                }
                List<Path> models = new ArrayList<>();
                for (JsonValue v : job.containsKey("models") ? job.getJsonArray("models") : JsonValue.EMPTY_JSON_ARRAY) {
                    models.add(Path.of(((jakarta.json.JsonString) v).getString()));
                }
                List<String> trouble = new ArrayList<>();
                undo(installed, updated, configurations, models, trouble);
                store.clearJob();
                DeploymentRequest request = DeploymentRequests.fromJson(job.getJsonObject("request"));
                Job j = new Job(id, request, job.getString("actor"), job.getString("role"), job.getString("source"), "",
                        Instant.parse(job.getString("created")));
                jobs.put(id, j);
                String reason = "the gateway stopped during " + phase.toLowerCase(java.util.Locale.ROOT) + "; returned to the previous deployment"
                        + (trouble.isEmpty() ? "" : " (rollback trouble: " + String.join("; ", trouble) + ")");
                j.reason = reason;
                installCommitted();
                j.installedAfter = running();
                j.reach(Phase.ROLLED_BACK, 100, reason + "; running " + j.installedAfter);
                audit.record(AuditEvent.of(j.actor, j.role, "gateway", "", "deploy.rollback", id, AuditEvent.OK, reason));
            } else {
                installCommitted();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("deploy: cannot return to the committed deployment: {}", e.toString(), e);
        }
    }

    private void installCommitted() throws IOException {
        int level = deploymentStartLevel();
        List<Bundle> started = new ArrayList<>();
        for (Artifact a : store.committed()) {
            Bundle present = null;
            for (Bundle b : context.getBundles()) {
                if (a.name().equals(b.getSymbolicName())) {
                    present = b;
                }
            }
            try (InputStream in = Files.newInputStream(store.artifact(a.sha256()))) {
                if (present == null) {
                    Bundle b = context.installBundle(LOCATION_PREFIX + a.name(), in);
                    b.adapt(BundleStartLevel.class).setStartLevel(level);
                    started.add(b);
                } else if (!present.getVersion().toString().equals(a.version())) {
                    present.update(in);
                }
            } catch (BundleException e) {
                LOG.error("deploy: committed bundle {} cannot be installed: {}", a.describe(), e.toString());
            }
        }
        for (Bundle b : started) {
            try {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            } catch (BundleException e) {
                LOG.error("deploy: committed bundle {} does not start: {}", DryRun.describe(b), e.toString());
            }
        }
        if (!started.isEmpty()) {
            LOG.info("deploy: the committed deployment's {} bundle(s) are installed again: {}", started.size(),
                    started.stream().map(DryRun::describe).toList());
        }
    }

    // ---- reporting

    private void report(Job job, String detail) {
        if (uplinks.isEmpty()) {
            return;
        }
        DeploymentStatus s = job.status();
        byte[] payload = Json.createObjectBuilder().add("id", s.id()).add("phase", s.phase().name()).add("progress", s.progress())
                .add("detail", detail).add("reason", s.reason()).add("actor", s.actor()).add("timestamp", clock.instant().toString()).build()
                .toString().getBytes(StandardCharsets.UTF_8);
        for (Uplink u : uplinks) {
            u.publish("deployments/" + s.id(), payload, true).exceptionally(e -> {
                LOG.debug("deploy {}: phase not published on {}: {}", s.id(), u.name(), e.toString());
                return null;
            });
        }
    }
}
