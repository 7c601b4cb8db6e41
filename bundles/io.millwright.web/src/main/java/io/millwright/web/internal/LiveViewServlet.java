package io.millwright.web.internal;

import io.millwright.driver.api.Device;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.Journal.StartAt;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalRead;
import io.millwright.uplink.api.Uplink;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's status document {@code /millwright/api/status} (devices, latest values, journal, ingest, uplink), for
 * scripts and checks; {@code /millwright/} redirects to the console (the live view page that was here is retired into
 * it). Latest values come from the journal through the durable cursor
 * {@value #CURSOR}, so the page shows what is committed, not what is merely in flight.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardServletPattern("/millwright/*")
public final class LiveViewServlet extends HttpServlet {

    static final String CURSOR = "live-view";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveViewServlet.class);

    private final transient Journal journal;
    private final transient JournalCursor cursor;
    /** Every channel a device has declared while the live view ran: one no device declares now is stale. */
    private final transient java.util.Set<io.millwright.api.ChannelId> deviceChannels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final transient LatestValues latest = new LatestValues();
    private final transient List<Device> devices = new CopyOnWriteArrayList<>();
    private final transient List<Uplink> uplinks = new CopyOnWriteArrayList<>();
    private final transient ScheduledExecutorService reader;
    private final transient Clock clock = Clock.systemUTC();
    private final transient Instant started = clock.instant();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SampleSink sink;

    /**
     * @param journal the journal to read latest values and statistics from
     */
    @Activate
    public LiveViewServlet(@Reference Journal journal) {
        this.journal = journal;
        this.cursor = journal.openCursor(CURSOR, StartAt.LATEST);
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "web-liveview-reader");
            t.setDaemon(true);
            return t;
        });
        reader.scheduleWithFixedDelay(this::readJournal, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void readJournal() {
        try {
            for (int i = 0; i < 100; i++) {
                JournalRead read = cursor.read(50_000);
                if (read.entries().isEmpty() && read.droppedEntries() == 0) {
                    return;
                }
                latest.accept(read);
                cursor.advance(read.nextPosition());
            }
        } catch (RuntimeException e) {
            LOG.warn("live view could not read the journal", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindUplink(Uplink uplink) {
        uplinks.add(uplink);
    }

    void unbindUplink(Uplink uplink) {
        uplinks.remove(uplink);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDevice(Device device) {
        devices.add(device);
        device.channels().forEach(c -> deviceChannels.add(c.id()));
    }

    void unbindDevice(Device device) {
        devices.remove(device);
    }

    @Deactivate
    void deactivate() {
        reader.shutdownNow();
        try {
            reader.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cursor.close();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        switch (path) {
            case "/", "/index.html" -> {
                // the live view is retired into the console
                resp.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
                resp.setHeader("Location", "/");
            }
            case "/api/status" -> {
                SampleSink s = sink;
                String json = StatusReport.render(clock.instant(), started, List.copyOf(devices), latest.snapshot(),
                        journal.statistics(), s == null ? null : s.statistics(), List.copyOf(uplinks), deviceChannels);
                resp.setContentType("application/json;charset=utf-8");
                resp.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
            }
            default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page: " + path);
        }
    }
}
