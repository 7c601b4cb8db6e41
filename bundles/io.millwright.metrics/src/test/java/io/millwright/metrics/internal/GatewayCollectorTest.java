package io.millwright.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.alarm.api.Alarms;
import io.millwright.analytics.api.ModelInventory;
import io.millwright.driver.api.Device;
import io.millwright.ingest.api.IngestStatistics;
import io.millwright.journal.api.CursorStatistics;
import io.millwright.journal.api.JournalStatistics;
import io.millwright.uplink.api.UplinkStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's figures in the text exposition format, from statistics as the services report them. */
class GatewayCollectorTest {

    @Test
    void journalIngestAndUplinkFiguresBecomeNamedCountersAndGauges() throws Exception {
        JournalStatistics journal = new JournalStatistics("/data/journal", 4_000_000, 3_000_000, 1L << 30, 10, 12_345, 1, 11, 12_345, 10, 7, 250.5,
                99, 4.2, 3, 1, List.of(), List.of(new CursorStatistics("uplink-mqtt", 9, 2, 40)), "clean", io.millwright.journal.api.JournalState.OK,
                5_000_000_000L, 100_000_000L, 1, new io.millwright.api.LatencyHistogram(List.of(0.001, 0.01), List.of(3L, 1L, 0L), 0.012));
        IngestStatistics ingest = new IngestStatistics(new IngestStatistics.Counts(12_400, 5, 2, 1, 0, 0, ""),
                Map.of("sim", new IngestStatistics.Counts(12_400, 5, 2, 1, 0, 0, "")));
        UplinkStatus uplink = new UplinkStatus("mqtt", "tcp://127.0.0.1:1883", true, "", 40, 4096, 1500, 249.0, 77, 2, 3, 0, 0, "on");
        GatewayCollector c = new GatewayCollector(new GatewayCollector.Sources() {
            public JournalStatistics journal() {
                return journal;
            }

            public IngestStatistics ingest() {
                return ingest;
            }

            public List<Device> devices() {
                return List.of();
            }

            public List<UplinkStatus> uplinks() {
                return List.of(uplink);
            }

            public Alarms alarms() {
                return null;
            }

            public List<ModelInventory> models() {
                return List.of();
            }

            public List<io.millwright.quality.api.QualityReport> quality() {
                java.time.Instant t = java.time.Instant.parse("2026-12-01T03:00:00Z");
                return List.of(new io.millwright.quality.api.QualityReport(io.millwright.api.ChannelId.parse("pump-1/speed"), t,
                        io.millwright.quality.api.QualityStatus.OK, List.of(), 60, 0, 0, 0, 0, 0, 0.01, 0, t),
                        new io.millwright.quality.api.QualityReport(io.millwright.api.ChannelId.parse("pump-1/bearing_temperature"), t,
                                io.millwright.quality.api.QualityStatus.FLATLINE, List.of(io.millwright.quality.api.QualityStatus.FLATLINE), 60, 0, 0,
                                0, 0, 0, 0.01, 0, t));
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, c.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("# TYPE millwright_journal_committed_samples_total counter", "millwright_journal_committed_samples_total 12345.0")
                .contains("millwright_journal_queue_samples 7.0", "millwright_journal_cursor_lag_samples{cursor=\"uplink-mqtt\"} 40.0")
                .contains("millwright_journal_state{state=\"OK\"} 1.0", "millwright_journal_state{state=\"DISK_FULL\"} 0.0")
                .contains("millwright_journal_last_commit_seconds 0.0042")
                .as("a classic histogram: cumulative buckets, +Inf, count and sum")
                .contains("# TYPE millwright_journal_commit_seconds histogram", "millwright_journal_commit_seconds_bucket{le=\"0.001\"} 3",
                        "millwright_journal_commit_seconds_bucket{le=\"0.01\"} 4", "millwright_journal_commit_seconds_bucket{le=\"+Inf\"} 4",
                        "millwright_journal_commit_seconds_count 4", "millwright_journal_commit_seconds_sum 0.012")
                .contains("millwright_ingest_rejected_samples_total{source=\"sim\"} 5.0")
                .contains("millwright_uplink_connected{uplink=\"mqtt\"} 1.0", "millwright_uplink_oldest_unsent_age_seconds{uplink=\"mqtt\"} 1.5")
                .contains("millwright_uplink_reconnects_total{uplink=\"mqtt\"} 3.0")
                .contains("millwright_data_quality_channels{status=\"OK\"} 1.0", "millwright_data_quality_channels{status=\"FLATLINE\"} 1.0",
                        "millwright_data_quality_channels{status=\"STALE\"} 0.0")
                .contains("millwright_data_quality_status{channel=\"pump-1/bearing_temperature\",status=\"FLATLINE\"} 1.0")
                .doesNotContain("millwright_alarms_active", "millwright_model_info");
    }
}
