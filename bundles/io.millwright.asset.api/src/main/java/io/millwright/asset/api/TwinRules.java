package io.millwright.asset.api;

/**
 * How a class's twin reads its tags: which tag says the asset runs, which names a trip, which measures its load (below
 * {@code idleBelow} a running asset is idle), and which carry the model's remaining useful life, urgency and lineage.
 * Any may be empty (that part of the twin stays unknown).
 *
 * @param runningTag a boolean (or number ≠ 0) tag that is true while the asset runs
 * @param tripTag a text tag that is non-empty while a protection holds the asset tripped
 * @param loadTag a numeric tag; a running asset whose load is below {@code idleBelow} is idle
 * @param idleBelow the idle threshold in the load tag's canonical unit (NaN: never idle)
 * @param rulTag the model's remaining useful life
 * @param urgencyTag the model's urgency (NORMAL, WARNING, CRITICAL)
 * @param lineageTag the model's lineage text ({@code model=… version=…})
 */
public record TwinRules(String runningTag, String tripTag, String loadTag, double idleBelow, String rulTag, String urgencyTag,
        String lineageTag) {
    /** No rules: every part stays unknown. */
    public static final TwinRules NONE = new TwinRules("", "", "", Double.NaN, "", "", "");

    /** Missing names become empty. */
    public TwinRules {
        runningTag = runningTag == null ? "" : runningTag;
        tripTag = tripTag == null ? "" : tripTag;
        loadTag = loadTag == null ? "" : loadTag;
        rulTag = rulTag == null ? "" : rulTag;
        urgencyTag = urgencyTag == null ? "" : urgencyTag;
        lineageTag = lineageTag == null ? "" : lineageTag;
    }
}
