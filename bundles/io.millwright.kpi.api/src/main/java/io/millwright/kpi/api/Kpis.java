package io.millwright.kpi.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * KPIs of the configured assets and their lines, computed by a journal reader with a durable cursor (restart-safe,
 * nothing counted twice) and kept per bucket; hours, shifts and days are sums of buckets.
 */
@ProviderType
public interface Kpis {

    /**
     * @param asset an asset
     * @param granularity bucket, hour, shift or day
     * @param fromMs from, epoch ms
     * @param toMs to, epoch ms
     * @return the periods overlapping the range that have data, oldest first
     * @throws java.util.NoSuchElementException for an asset without KPI configuration
     */
    List<KpiPeriod> asset(String asset, Granularity granularity, long fromMs, long toMs);

    /**
     * @param line a line of the asset model
     * @param granularity bucket, hour, shift or day
     * @param fromMs from, epoch ms
     * @param toMs to, epoch ms
     * @return the line's periods (sums over its assets; ratios from the sums), oldest first
     * @throws java.util.NoSuchElementException for a line without assets with KPI configuration
     */
    List<KpiPeriod> line(String line, Granularity granularity, long fromMs, long toMs);

    /**
     * @param asset an asset
     * @return its cost model, if configured
     */
    Optional<CostModel> costModel(String asset);

    /** @return the assets with KPI configuration */
    List<String> assets();

    /** @return configurations that cannot be used, naming the PID and the value; empty if none */
    List<String> problems();
}
