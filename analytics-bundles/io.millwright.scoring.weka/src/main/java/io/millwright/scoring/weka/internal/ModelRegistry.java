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
@Component(configurationPid = ModelRegistry.PID, service = {})
@Designate(ocd = ModelRegistry.Config.class)
public final class ModelRegistry {

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

    /**
     * @param context to register models and track model bundles
     * @param config configuration
     */
    @Activate
    public ModelRegistry(BundleContext context, Config config) {
        this(context, folder(context, config), config.shadowScores(),
                new UrgencyPolicy(Duration.ofHours(config.criticalHours()), Duration.ofHours(config.warningHours())), config.scanIntervalMs());
    }

    ModelRegistry(BundleContext context, Path folder, int shadowScores, UrgencyPolicy policy, int scanIntervalMs) {
        if (shadowScores < 0 || scanIntervalMs < 200 || scanIntervalMs > 600_000) {
            throw new IllegalArgumentException("configuration " + PID + ": shadowScores=" + shadowScores + " (>= 0), scanIntervalMs=" + scanIntervalMs
                    + " (200-600000)");
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
                String stamp = Files.getLastModifiedTime(p) + "/" + Files.size(p);
                if (stamp.equals(seen.get(p))) {
                    continue;
                }
                seen.put(p, stamp);
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
        if (stopped) {
            return; // deactivated: registering now would leave a service behind
        }
        WekaModel model;
        try {
            model = WekaModel.load(source, bytes, policy);
        } catch (InvalidModelException e) {
            LOG.error("scoring: model refused: {}", e.getMessage());
            String id = idFromName(source);
            ModelSlot slot = id == null ? null : slots.get(id);
            if (slot != null) {
                slot.rejected(e.getMessage());
            }
            return;
        }
        sources.put(source, new Provided(model.id(), model.sha256()));
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
