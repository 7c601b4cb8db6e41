package io.millwright.asset.api;

/**
 * A tag every asset of a class is expected to have.
 *
 * @param name the canonical tag name
 * @param unit the canonical unit (UCUM-like text: {@code Cel}, {@code rpm}, {@code m3/h}, {@code bar}, …), empty if none
 * @param min lower end of the engineering range in the canonical unit, -Infinity if none
 * @param max upper end, +Infinity if none
 * @param expectedIntervalMs how often a sample is expected, 0 if not known (then no stale check)
 */
public record TagTemplate(String name, String unit, double min, double max, long expectedIntervalMs) {
    /** A missing unit becomes empty. */
    public TagTemplate {
        unit = unit == null ? "" : unit;
    }
}
