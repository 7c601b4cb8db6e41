package io.millwright.uplink.api;

/**
 * An uplink's state at one moment.
 *
 * @param name the uplink's name
 * @param endpoint where it sends, e.g. {@code tcp://broker:1883}
 * @param connected whether it is connected now
 * @param lastError the most recent connection or publish error, empty if none since the last success
 * @param backlogSamples committed samples not yet acknowledged by the other side
 * @param backlogBytes estimated journal payload of that backlog
 * @param oldestUnsentAgeMillis age of the oldest unacknowledged sample (ingest time), 0 if none
 * @param publishRateSamplesPerSecond samples acknowledged per second over the last few seconds
 * @param messagesAcknowledged messages acknowledged since start
 * @param messagesInFlight messages sent and not yet acknowledged
 * @param reconnects connections established since start, after the first
 * @param gapReports gap reports sent since start
 * @param commandsRefused commands refused without a reply since start (unauthorized, stale, replayed, retained,
 *        oversized, malformed, or dropped because too many were waiting)
 * @param commands whether commands are accepted, or why not (e.g. {@code off: the broker connection is not TLS})
 */
public record UplinkStatus(String name, String endpoint, boolean connected, String lastError, long backlogSamples,
        long backlogBytes, long oldestUnsentAgeMillis, double publishRateSamplesPerSecond, long messagesAcknowledged,
        int messagesInFlight, long reconnects, long gapReports, long commandsRefused, String commands) {

    /** As in 1.0 (no command figures). */
    public UplinkStatus(String name, String endpoint, boolean connected, String lastError, long backlogSamples, long backlogBytes,
            long oldestUnsentAgeMillis, double publishRateSamplesPerSecond, long messagesAcknowledged, int messagesInFlight,
            long reconnects, long gapReports) {
        this(name, endpoint, connected, lastError, backlogSamples, backlogBytes, oldestUnsentAgeMillis, publishRateSamplesPerSecond,
                messagesAcknowledged, messagesInFlight, reconnects, gapReports, 0, "");
    }
}
