package io.millwright.api;

import java.util.regex.Pattern;

/**
 * Identity of a channel: the asset it belongs to and the canonical tag name on that asset.
 *
 * <p>Both parts are 1 to 64 characters of {@code [A-Za-z0-9_.-]}; the text form is
 * {@code asset/tag}, e.g. {@code pump-1/bearing_temperature}.
 *
 * @param asset the asset identifier, e.g. {@code pump-1}
 * @param tag the canonical tag on the asset, e.g. {@code bearing_temperature}
 */
public record ChannelId(String asset, String tag) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    /**
     * Validates both parts.
     *
     * @throws IllegalArgumentException naming the bad part and its value
     */
    public ChannelId {
        check("asset", asset);
        check("tag", tag);
    }

    private static void check(String what, String value) {
        if (value == null || !PART.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "invalid channel " + what + " '" + value + "': expected 1-64 characters of [A-Za-z0-9_.-]");
        }
    }

    /**
     * Parses the text form {@code asset/tag}.
     *
     * @param text the text form
     * @return the channel id
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static ChannelId parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("invalid channel id '" + text + "': expected asset/tag");
        }
        return new ChannelId(text.substring(0, slash), text.substring(slash + 1));
    }

    /** @return the text form {@code asset/tag} */
    @Override
    public String toString() {
        return asset + "/" + tag;
    }
}
