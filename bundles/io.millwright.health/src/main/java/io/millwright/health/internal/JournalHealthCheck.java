package io.millwright.health.internal;

import io.millwright.journal.api.Journal;
import io.millwright.journal.api.JournalStatistics;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The journal: CRITICAL when it cannot write (disk full, failing) or has not committed queued samples since the last
 * check; WARN over 90 % of its budget or when samples were dropped; OK otherwise, with its figures.
 */
@Component(service = HealthCheck.class, property = {HealthCheck.NAME + "=Journal", HealthCheck.TAGS + "=millwright", HealthCheck.TAGS + "=journal"})
public final class JournalHealthCheck implements HealthCheck {

    private final Journal journal;
    private long lastCommits = -1;
    private long lastPending;

    /** @param journal the journal */
    @Activate
    public JournalHealthCheck(@Reference Journal journal) {
        this.journal = journal;
    }

    @Override
    public synchronized Result execute() {
        JournalStatistics s = journal.statistics();
        FormattingResultLog log = new FormattingResultLog();
        log.info("state {}, {} samples committed, {} pending, {} commits, last commit {} ms", s.state(), s.committedSamples(), s.pendingSamples(),
                s.commits(), Math.round(s.lastCommitMillis() * 10) / 10.0);
        switch (s.state()) {
            case OK -> { }
            default -> log.critical("the journal is {}: {}", s.state(), s.recovery());
        }
        if (lastCommits >= 0 && s.commits() == lastCommits && lastPending > 0 && s.pendingSamples() > 0) {
            log.critical("the journal has not committed since the last check with {} samples queued", s.pendingSamples());
        }
        lastCommits = s.commits();
        lastPending = s.pendingSamples();
        if (s.budgetBytes() > 0) {
            double used = (double) s.fileBytes() / s.budgetBytes();
            if (used > 0.9) {
                log.warn("{} % of the journal's budget used ({} of {} bytes): the oldest samples go first", Math.round(used * 100), s.fileBytes(),
                        s.budgetBytes());
            }
        }
        if (s.droppedSamples() > 0) {
            log.warn("{} samples dropped (reported as gaps)", s.droppedSamples());
        }
        return new Result(log);
    }
}
