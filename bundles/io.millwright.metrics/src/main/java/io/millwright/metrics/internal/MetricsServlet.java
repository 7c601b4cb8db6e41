package io.millwright.metrics.internal;

import io.millwright.alarm.api.Alarms;
import io.millwright.analytics.api.ModelInventory;
import io.millwright.driver.api.Device;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.uplink.api.Uplink;
import io.millwright.uplink.api.UplinkStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics}: the gateway's figures in the Prometheus text exposition format (0.0.4), behind the gateway's
 * login like every page (a scraper uses an API token: {@code Authorization: Bearer …}). The Prometheus Java client
 * (1.x) is embedded in this bundle, nothing of it exported: its own manifests do not make it an OSGi bundle.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient PrometheusRegistry registry = new PrometheusRegistry();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final transient Journal journal;
    private final transient List<Device> devices = new CopyOnWriteArrayList<>();
    private final transient List<Uplink> uplinks = new CopyOnWriteArrayList<>();
    private final transient List<ModelInventory> inventories = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile SampleSink ingest;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Alarms alarms;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile io.millwright.quality.api.DataQuality quality;

    /** @param journal the journal */
    @Activate
    public MetricsServlet(@Reference Journal journal) {
        this.journal = journal;
        registry.register(new GatewayCollector(new GatewayCollector.Sources() {
            @Override
            public JournalStatistics journal() {
                return journal.statistics();
            }

            @Override
            public IngestStatistics ingest() {
                SampleSink s = ingest;
                return s == null ? null : s.statistics();
            }

            @Override
            public List<Device> devices() {
                return List.copyOf(devices);
            }

            @Override
            public List<UplinkStatus> uplinks() {
                return uplinks.stream().map(Uplink::status).toList();
            }

            @Override
            public Alarms alarms() {
                return alarms;
            }

            @Override
            public List<ModelInventory> models() {
                return List.copyOf(inventories);
            }

            @Override
            public List<io.millwright.quality.api.QualityReport> quality() {
                io.millwright.quality.api.DataQuality q = quality;
                return q == null ? List.of() : q.channels();
            }

            @Override
            public List<io.millwright.quality.api.ConsistencyReport> consistency() {
                io.millwright.quality.api.DataQuality q = quality;
                return q == null ? List.of() : q.consistency();
            }
        }));
        JvmMetrics.builder().register(registry);
    }

    /** @param device a device */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device) {
        devices.add(device);
    }

    void unbindDevice(Device device) {
        devices.remove(device);
    }

    /** @param uplink an uplink */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUplink(Uplink uplink) {
        uplinks.add(uplink);
    }

    void unbindUplink(Uplink uplink) {
        uplinks.remove(uplink);
    }

    /** @param inventory a scoring engine's models */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInventory(ModelInventory inventory) {
        inventories.add(inventory);
    }

    void unbindInventory(ModelInventory inventory) {
        inventories.remove(inventory);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        writer.write(body, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        resp.setContentLength(body.size());
        body.writeTo(resp.getOutputStream());
    }
}
