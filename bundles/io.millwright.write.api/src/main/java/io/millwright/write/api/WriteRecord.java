package io.millwright.write.api;

/**
 * A write request and what became of it.
 *
 * @param id the request's id
 * @param asset the asset
 * @param tag the tag
 * @param value the value asked for (canonical unit)
 * @param unit the canonical unit
 * @param before the tag's value when it was asked (NaN if unknown)
 * @param status what became of it
 * @param rule the rule that refused it ({@code bounds}, {@code max-step}, {@code interlock:running}, …), empty otherwise
 * @param message what happened, naming the value and the rule's limit
 * @param requestedBy who asked
 * @param approvedBy who approved or rejected, empty if nobody did
 * @param dryRun whether it was only checked
 * @param reason why it was asked
 * @param requestedMs when it was asked, epoch milliseconds
 * @param updatedMs when its status last changed, epoch milliseconds
 * @param readBack the value the device reported after the write (canonical unit), NaN if none yet
 * @param device the device the tag is read from, empty if not known
 * @param deviceValue the value sent to the device, in the device's unit (NaN if nothing was sent)
 */
public record WriteRecord(String id, String asset, String tag, double value, String unit, double before, WriteStatus status,
        String rule, String message, String requestedBy, String approvedBy, boolean dryRun, String reason, long requestedMs,
        long updatedMs, double readBack, String device, double deviceValue) {

    /** @return {@code asset/tag} */
    public String target() {
        return asset + "/" + tag;
    }

    /**
     * @param s the new status
     * @param why the rule that refused, or empty
     * @param text what happened
     * @param nowMs when
     * @return this record in that status
     */
    public WriteRecord with(WriteStatus s, String why, String text, long nowMs) {
        return new WriteRecord(id, asset, tag, value, unit, before, s, why, text, requestedBy, approvedBy, dryRun, reason, requestedMs,
                nowMs, readBack, device, deviceValue);
    }
}
