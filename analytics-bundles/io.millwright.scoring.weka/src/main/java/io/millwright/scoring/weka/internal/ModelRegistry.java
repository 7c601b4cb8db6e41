package io.millwright.scoring.weka.internal;

import io.millwright.analytics.api.ScoringModel;
import io.millwright.analytics.api.UrgencyPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds model packages ({@code *.mwmodel}) in the model folder (scanned every few seconds) and in model bundles
 * (header {@value #MODELS_HEADER}: paths of packages inside the bundle), validates each, and keeps one
 * {@link ScoringModel} service per model id ({@link ModelSlot}) whose versions change in place: a new version
 * scores in shadow, then takes over; a version that fails validation is logged and the one in charge stays.
 */
@Component(configurationPid = ModelRegistry.PID, service = {io.millwright.analytics.api.ModelInventory.class,
        io.millwright.analytics.api.ModelOutcomes.class})
@Designate(ocd = ModelRegistry.Config.class)
public final class ModelRegistry implements io.millwright.analytics.api.ModelInventory, io.millwright.analytics.api.ModelOutcomes {

    static final String PID = "io.millwright.scoring.weka";
    static final String MODELS_HEADER = "Millwright-Models";
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /** Configuration. */
    @ObjectClassDefinition(name = "Millwright Weka scoring")
    public @interface Config {
        /** @return model folder */
        @AttributeDefinition(description = "Folder of model packages (*.mwmodel); empty for <millwright.data.dir>/models")
        String modelFolder() default "";

        /** @return scan interval */
        @AttributeDefinition(description = "How often the folder is scanned, ms (200-600000)")
        int scanIntervalMs() default 2000;

        /** @return shadow scores */
        @AttributeDefinition(description = "Windows a new version scores in shadow before it takes over (0: at once)")
        int shadowScores() default 3;

        /** @return critical horizon */
        @AttributeDefinition(description = "Remaining useful life below which a score is CRITICAL, hours")
        int criticalHours() default 48;

        /** @return warning horizon */
        @AttributeDefinition(description = "Remaining useful life below which a score is WARNING, hours")
        int warningHours() default 168;

        /** @return trusted signers' folder */
        @AttributeDefinition(description = "Folder of the certificates (*.crt, *.pem) whose keys may sign model packages; empty for "
                + "<millwright.data.dir>/trust/models (the distribution's build certificate is always trusted)")
        String trustFolder() default "";

        /** @return package size cap, MiB */
        @AttributeDefinition(description = "Largest model package (and entry, inflated) read, MiB (1-4096); it is held in memory while "
                + "checked: keep it well under the gateway's heap (-Xmx128m by default)")
        int maxPackageMb() default 16;

        /** @return whether unsigned packages load */
        @AttributeDefinition(description = "Load unsigned model packages: for development only, logged loudly at start")
        boolean allowUnsignedModels() default false;

        /** @return the plant's time scale */
        @AttributeDefinition(description = "Plant seconds per second of source time, for judging remaining life after a failure: 1 on a real "
                + "plant; the demo's simulator runs 8640 (0.001-1000000)")
        double plantSecondsPerSecond() default 1;
    }

    private final BundleContext context;
    private final Path folder;
    private final int shadowScores;
    private final UrgencyPolicy policy;
    private final Map<String, ModelSlot> slots = new ConcurrentHashMap<>();
    private final Map<String, ServiceRegistration<ScoringModel>> registrations = new ConcurrentHashMap<>();
    private final Map<Path, String> seen = new ConcurrentHashMap<>();
    /** Where each loaded version came from; a source that goes away withdraws it. */
    private final Map<String, Provided> sources = new ConcurrentHashMap<>();

    /** What a source provides: one version of one model. */
    private record Provided(String modelId, String sha256) {
    }
    private final ScheduledExecutorService scanner;
    /** Set under the registry's lock by deactivate: no scan or offer registers anything afterwards. */
    private boolean stopped;
    private final BundleTracker<Bundle> bundles;
    private final SignedPackage.Rules rules;
    /** what was wrong with the folder's permissions at the last scan (logged once per change), null when nothing */
    private String unsafeFolder;

    /** given to the constructor (not injected later): the first scan runs at once, and its refusals must be audited too */
    private final AuditTrail audit;

    /**
     * @param context to register models and track model bundles
     * @param config configuration
     */
    @Activate
    public ModelRegistry(BundleContext context, Config config,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY) AuditTrail audit) {
        this(context, audit, folder(context, config), config.shadowScores(),
                new UrgencyPolicy(Duration.ofHours(config.criticalHours()), Duration.ofHours(config.warningHours())), config.scanIntervalMs(),
                new SignedPackage.Rules(range("maxPackageMb", config.maxPackageMb(), 1, 4096) * 1024L * 1024,
                        ModelTrust.withBuiltIn(trustFolder(context, config)), config.allowUnsignedModels()));
        if (!(config.plantSecondsPerSecond() >= 0.001 && config.plantSecondsPerSecond() <= 1_000_000)) {
            throw new IllegalArgumentException("configuration " + PID + ": plantSecondsPerSecond=" + config.plantSecondsPerSecond()
                    + ": must be 0.001..1000000");
        }
        this.plantSecondsPerSecond = config.plantSecondsPerSecond();
    }

    /** Plant seconds per second of source time (the demo's simulator: 8640). */
    private volatile double plantSecondsPerSecond = 1;

    void plantSecondsPerSecond(double scale) {
        this.plantSecondsPerSecond = scale;
    }

    /** Judges every model's answers for the asset against what became of it. */
    @Override
    public void record(String asset, java.time.Instant at, Outcome outcome) {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
        for (ModelSlot slot : slots.values()) {
            slot.outcome(asset, micros, outcome, plantSecondsPerSecond);
        }
        LOG.info("scoring: {} {} at {}: the models' answers for it judged", asset, outcome, at);
    }

    private static int range(String attribute, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("configuration " + PID + ": " + attribute + "=" + value + ": must be " + min + ".." + max);
        }
        return value;
    }

    ModelRegistry(BundleContext context, Path folder, int shadowScores, UrgencyPolicy policy, int scanIntervalMs, SignedPackage.Rules rules) {
        this(context, null, folder, shadowScores, policy, scanIntervalMs, rules);
    }

    ModelRegistry(BundleContext context, AuditTrail audit, Path folder, int shadowScores, UrgencyPolicy policy, int scanIntervalMs,
            SignedPackage.Rules rules) {
        if (shadowScores < 0 || scanIntervalMs < 200 || scanIntervalMs > 600_000) {
            throw new IllegalArgumentException("configuration " + PID + ": shadowScores=" + shadowScores + " (>= 0), scanIntervalMs=" + scanIntervalMs
                    + " (200-600000)");
        }
        this.rules = rules;
        this.audit = audit;
        if (rules.allowUnsigned()) {
            LOG.warn("scoring: INSECURE: allowUnsignedModels=true loads model packages nobody signed; never in production");
        }
        this.context = context;
        this.folder = folder;
        this.shadowScores = shadowScores;
        this.policy = policy;
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scoring-model-scan");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(this::scanGuarded, 0, scanIntervalMs, TimeUnit.MILLISECONDS);
        this.bundles = context == null ? null : new BundleTracker<>(context, Bundle.ACTIVE, null) {
            @Override
            public Bundle addingBundle(Bundle bundle, BundleEvent event) {
                String header = bundle.getHeaders().get(MODELS_HEADER);
                if (header == null) {
                    return null;
                }
                for (String path : header.split(",")) {
                    var url = bundle.getEntry(path.trim());
                    if (url == null) {
                        LOG.error("model bundle {}: {} lists {}, which is not in the bundle", bundle.getSymbolicName(), MODELS_HEADER, path.trim());
                        continue;
                    }
                    try (InputStream in = url.openStream()) {
                        byte[] bytes = in.readAllBytes();
                        scanner.execute(() -> offer(bundleSource(bundle, path.trim()), bytes));
                    } catch (IOException e) {
                        LOG.error("model bundle {}: cannot read {}: {}", bundle.getSymbolicName(), path.trim(), e.toString());
                    }
                }
                return bundle;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Bundle object) {
                String prefix = bundleSource(bundle, "");
                scanner.execute(() -> sources.keySet().stream().filter(k -> k.startsWith(prefix)).toList().forEach(ModelRegistry.this::withdraw));
            }
        };
        if (bundles != null) {
            bundles.open();
        }
        LOG.info("scoring: models from {} and from bundles with {}; {} shadow scores before a switch; {}", folder, MODELS_HEADER, shadowScores,
                policy.describe());
    }

    private static String bundleSource(Bundle bundle, String path) {
        return "bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " #" + bundle.getBundleId() + " " + path;
    }

    private static Path trustFolder(BundleContext context, Config c) {
        if (!c.trustFolder().isBlank()) {
            return Path.of(c.trustFolder());
        }
        String data = context.getProperty("millwright.data.dir");
        return Path.of(data == null ? "data" : data, "trust", "models");
    }

    private static Path folder(BundleContext context, Config c) {
        if (!c.modelFolder().isBlank()) {
            return Path.of(c.modelFolder());
        }
        String data = context.getProperty("millwright.data.dir");
        return Path.of(data == null ? "data" : data, "models");
    }

    /** The periodic scan: one unexpected failure is logged and the next scan still runs (an escaping exception would end them all). */
    private void scanGuarded() {
        try {
            scan();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("scoring: scan of {} failed; trying again at the next scan", folder, e);
        }
    }

    /** Loads new and changed packages of the folder (the scanner thread; tests call it too). */
    synchronized void scan() {
        if (stopped || !Files.isDirectory(folder)) {
            return;
        }
        String unsafe = writableByOthers(folder);
        if (unsafe != null) {
            if (!unsafe.equals(unsafeFolder)) {
                LOG.error("scoring: model folder {} is {}: no package is loaded from it until only its owner can write it (chmod 700)",
                        folder, unsafe);
                refused(folder.toString(), "model folder " + unsafe);
            }
            unsafeFolder = unsafe;
            return;
        }
        unsafeFolder = null;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith(".mwmodel")).sorted().forEach(files::add);
        } catch (IOException e) {
            LOG.warn("scoring: cannot list {}: {}", folder, e.toString());
            return;
        }
        for (Path gone : seen.keySet().stream().filter(p -> !files.contains(p)).toList()) {
            seen.remove(gone);
            withdraw(gone.toString());
        }
        for (Path p : files) {
            try {
                // the permissions are part of the stamp: a package refused for them is looked at again once they change
                String stamp = Files.getLastModifiedTime(p) + "/" + Files.size(p) + "/" + String.valueOf(writableByOthers(p));
                if (stamp.equals(seen.get(p))) {
                    continue;
                }
                seen.put(p, stamp);
                String unsafeFile = writableByOthers(p);
                if (unsafeFile != null) {
                    String message = p + ": refused: the package file is " + unsafeFile + " (chmod 600)";
                    LOG.error("scoring: model refused: {}", message);
                    refused(p.toString(), message);
                    continue;
                }
                if (Files.size(p) > rules.maxPackageBytes()) {
                    offer(p.toString(), new byte[0], Files.size(p)); // refused by size, not read
                    continue;
                }
                offer(p.toString(), Files.readAllBytes(p));
            } catch (IOException e) {
                LOG.warn("scoring: cannot read {}: {}", p, e.toString());
            }
        }
    }

    /**
     * Validates a package and hands it to its model's slot (creating and registering the slot for a new id).
     *
     * @param source where it came from
     * @param bytes the package
     */
    synchronized void offer(String source, byte[] bytes) {
        offer(source, bytes, bytes.length);
    }

    private synchronized void offer(String source, byte[] bytes, long size) {
        if (stopped) {
            return; // deactivated: registering now would leave a service behind
        }
        PackagedModel model;
        try {
            if (size > rules.maxPackageBytes()) {
                throw new InvalidModelException(source + ": refused: the package has " + size + " bytes, over the cap of "
                        + rules.maxPackageBytes() + " (maxPackageMb)");
            }
            model = PackagedModel.load(source, bytes, policy, rules);
        } catch (InvalidModelException e) {
            LOG.error("scoring: model refused: {}", e.getMessage());
            refused(source, e.getMessage());
            String id = idFromName(source);
            ModelSlot slot = id == null ? null : slots.get(id);
            if (slot != null) {
                slot.rejected(e.getMessage());
            }
            return;
        }
        sources.put(source, new Provided(model.id(), model.sha256()));
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record(AuditEvent.of(source.startsWith("bundle ") ? "model-bundle" : "model-folder", "", "models", source, "model.accepted",
                    model.id() + " " + model.version(), AuditEvent.OK, "sha256 " + model.sha256()));
        }
        ModelSlot slot = slots.get(model.id());
        if (slot == null) {
            ModelSlot created = new ModelSlot(model, shadowScores);
            slots.put(model.id(), created);
            LOG.info("scoring: model {} version {} in charge ({} features of {})", model.id(), model.version(), model.featureSet().features().size(),
                    model.featureSet().id());
            if (context != null) {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(ScoringModel.MODEL_ID, model.id());
                registrations.put(model.id(), context.registerService(ScoringModel.class, created, props));
            }
        } else if (slot.offer(model)) {
            LOG.info("scoring: model {} version {} accepted from {}", model.id(), model.version(), source);
        }
    }

    /**
     * A package's source went away (its file deleted, its bundle uninstalled or updated): the version it provided is
     * withdrawn unless another source still provides it. Withdrawing the version in charge hands back to the previous
     * one (or the candidate); withdrawing a model's last version withdraws its service.
     *
     * @param source the source
     */
    synchronized void withdraw(String source) {
        Provided what = sources.remove(source);
        if (what == null) {
            return;
        }
        boolean elsewhere = sources.containsValue(what);
        ModelSlot slot = slots.get(what.modelId());
        if (elsewhere || slot == null) {
            return;
        }
        if (slot.withdraw(what.sha256(), source)) {
            slots.remove(what.modelId());
            ServiceRegistration<ScoringModel> r = registrations.remove(what.modelId());
            if (r != null) {
                try {
                    r.unregister();
                } catch (IllegalStateException gone) {
                    // bundle stopping
                }
            }
            LOG.info("scoring: model {} withdrawn: its last version's source is gone ({})", what.modelId(), source);
        } else {
            LOG.info("scoring: model {}: the version from {} withdrawn; {} in charge", what.modelId(), source, slot.version());
        }
    }

    private void refused(String source, String why) {
        AuditTrail trail = audit;
        if (trail != null) {
            try {
                trail.record(AuditEvent.of(source.startsWith("bundle ") ? "model-bundle" : "model-folder", "", "models", source, "model.refused",
                        source, AuditEvent.REFUSED, why));
            } catch (RuntimeException e) {
                LOG.warn("scoring: the refusal of {} could not be audited: {}", source, e.getMessage());
            }
        }
    }

    /** @return "writable by group/others (rwxrwxrwx)" when a group or others may write it, else null */
    static String writableByOthers(Path p) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                return "writable by " + (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE) ? "anyone" : "its group")
                        + " (" + java.nio.file.attribute.PosixFilePermissions.toString(perms) + ")";
            }
            return null;
        } catch (UnsupportedOperationException | IOException e) {
            return null; // no POSIX permissions on this file system
        }
    }

    /** @return the model id a package file name suggests ({@code <id>-<version>.mwmodel}), to attribute a refusal */
    private String idFromName(String source) {
        String name = Path.of(source.substring(source.lastIndexOf(' ') + 1)).getFileName().toString();
        for (String id : slots.keySet()) {
            if (name.startsWith(id + "-")) {
                return id;
            }
        }
        return null;
    }

    /** @return the slots by model id */
    Map<String, ModelSlot> slots() {
        return slots;
    }

    /**
     * Stops scanning and withdraws the model services. The scanner is given back first (a scan in progress finishes),
     * then, under the registry's lock, nothing may register any more: no service outlives the component.
     */
    @Override
    public synchronized List<io.millwright.analytics.api.ModelStatus> models() {
        return slots.values().stream().map(ModelSlot::inventory).sorted(java.util.Comparator.comparing(io.millwright.analytics.api.ModelStatus::id))
                .toList();
    }

    @Deactivate
    public void deactivate() {
        if (bundles != null) {
            bundles.close();
        }
        scanner.shutdown();
        try {
            if (!scanner.awaitTermination(10, TimeUnit.SECONDS)) {
                scanner.shutdownNow();
            }
        } catch (InterruptedException e) {
            scanner.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            stopped = true;
            registrations.values().forEach(r -> {
                try {
                    r.unregister();
                } catch (IllegalStateException gone) {
                    // bundle stopping
                }
            });
            registrations.clear();
        }
    }
}
