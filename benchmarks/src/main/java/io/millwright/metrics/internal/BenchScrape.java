package io.millwright.metrics.internal;

import io.millwright.analytics.api.ModelInventory;
import io.millwright.alarm.api.Alarms;
import io.millwright.driver.api.Device;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.ingest.api.SampleSink;
import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.uplink.api.UplinkStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.config.EscapingScheme;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** A scrape of /metrics as the servlet answers it, without the HTTP: the collector over the services' statistics. */
public final class BenchScrape {

    private final GatewayCollector collector;

    /**
     * @param journal the journal
     * @param ingest ingest
     */
    public BenchScrape(Journal journal, SampleSink ingest) {
        collector = new GatewayCollector(new GatewayCollector.Sources() {
            public JournalStatistics journal() {
                return journal.statistics();
            }

            public IngestStatistics ingest() {
                return ingest.statistics();
            }

            public List<Device> devices() {
                return List.of();
            }

            public List<UplinkStatus> uplinks() {
                return List.of();
            }

            public Alarms alarms() {
                return null;
            }

            public List<ModelInventory> models() {
                return List.of();
            }
        });
    }

    /** @return the bytes of one scrape's text */
    public int scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, collector.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
        return out.size();
    }
}
