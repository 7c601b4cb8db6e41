package io.millwright.journal.api;

/**
 * A cursor's place and lag.
 *
 * @param name the cursor's name
 * @param position the position of its next unhandled entry
 * @param lagEntries committed entries it has not handled
 * @param lagSamples committed samples it has not handled
 */
public record CursorStatistics(String name, long position, long lagEntries, long lagSamples) {
}
