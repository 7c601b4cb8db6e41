package io.millwright.asset.internal;

import io.millwright.api.ChannelId;
import io.millwright.asset.api.Asset;
import io.millwright.asset.api.AssetClass;
import io.millwright.asset.api.AssetModel;
import io.millwright.asset.api.Provenance;
import io.millwright.driver.api.ChannelDescriptor;
import io.millwright.driver.api.Device;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AssetModel} service: rebuilt whenever an asset or class configuration or a device comes, changes or goes.
 * Readers get immutable snapshots; {@link #revision()} tells them when to take a new one.
 */
@Component(service = AssetModel.class, immediate = true)
public final class AssetModelComponent implements AssetModel {

    private static final Logger LOG = LoggerFactory.getLogger(AssetModelComponent.class);
    private static final long SETTLE_MS = 2000;

    private final Map<ClassSource, Boolean> classSources = new ConcurrentHashMap<>();
    private final Map<AssetConfiguration, Boolean> assetSources = new ConcurrentHashMap<>();
    private final Map<Device, Boolean> devices = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile AssetModelBuilder.Built built = AssetModelBuilder.build(List.of(), List.of(), Map.of());
    private volatile Map<ChannelId, Provenance> provenance = Map.of();
    private volatile long revision;
    private Set<String> reported = new HashSet<>();

    /** @param s a class configuration */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClass(ClassSource s) {
        classSources.put(s, Boolean.TRUE);
        rebuild();
    }

    void removeClass(ClassSource s) {
        classSources.remove(s);
        rebuild();
    }

    /** @param s an asset configuration */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAsset(AssetConfiguration s) {
        assetSources.put(s, Boolean.TRUE);
        rebuild();
    }

    void removeAsset(AssetConfiguration s) {
        assetSources.remove(s);
        rebuild();
    }

    /** @param d a device */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(Device d) {
        devices.put(d, Boolean.TRUE);
        rebuild();
    }

    void removeDevice(Device d) {
        devices.remove(d);
        rebuild();
    }

    private void rebuild() {
        synchronized (lock) {
            Map<ChannelId, ChannelDescriptor> channels = new HashMap<>();
            Map<ChannelId, Provenance> origin = new HashMap<>();
            for (Device d : devices.keySet()) {
                try {
                    for (ChannelDescriptor c : d.channels()) {
                        channels.put(c.id(), c);
                        origin.put(c.id(), new Provenance(d.id(), d.driver(), d.address(c.id())));
                    }
                } catch (RuntimeException e) {
                    LOG.debug("device {} did not list its channels: {}", d, e.toString());
                }
            }
            AssetModelBuilder.Built next = AssetModelBuilder.build(classSources.keySet(), assetSources.keySet().stream()
                    .map(AssetConfiguration::source).toList(), channels);
            provenance = Map.copyOf(origin);
            built = next;
            long generation = ++revision;
            // configurations and devices come one by one at start: report problems once the model has settled
            CompletableFuture.delayedExecutor(SETTLE_MS, TimeUnit.MILLISECONDS).execute(() -> report(generation));
        }
    }

    private void report(long generation) {
        synchronized (lock) {
            if (generation != revision) {
                return;
            }
            List<String> problems = built.problems();
            for (String p : problems) {
                if (!reported.contains(p)) {
                    LOG.warn("asset model: {}", p);
                }
            }
            reported = new HashSet<>(problems);
            LOG.info("asset model: {} classes, {} assets, {} tags bound, {} problems", built.classes().size(), built.assets().size(),
                    built.bindings().size(), problems.size());
        }
    }

    @Override
    public List<Asset> assets() {
        return List.copyOf(built.assets().values());
    }

    @Override
    public Optional<Asset> asset(String id) {
        return Optional.ofNullable(built.assets().get(id));
    }

    @Override
    public List<AssetClass> classes() {
        return List.copyOf(built.classes().values());
    }

    @Override
    public Optional<AssetClass> assetClass(String name) {
        return Optional.ofNullable(built.classes().get(name));
    }

    @Override
    public Optional<Binding> binding(ChannelId source) {
        return Optional.ofNullable(built.bindings().get(source));
    }

    @Override
    public Optional<Provenance> provenance(ChannelId source) {
        return Optional.ofNullable(provenance.get(source));
    }

    @Override
    public List<String> problems() {
        return List.copyOf(built.problems());
    }

    @Override
    public long revision() {
        return revision;
    }
}
