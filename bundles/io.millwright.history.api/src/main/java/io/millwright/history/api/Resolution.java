package io.millwright.history.api;

/** Where an answer's points come from. */
public enum Resolution {
    /** Raw samples (a waveform's RMS per block), or buckets of them. */
    RAW(0),
    /** One-minute rollups, or buckets of whole minutes. */
    MINUTE(60),
    /** One-hour rollups, or buckets of whole hours. */
    HOUR(3600);

    private final int seconds;

    Resolution(int seconds) {
        this.seconds = seconds;
    }

    /** @return the window of one rollup in seconds; 0 for raw samples */
    public int seconds() {
        return seconds;
    }
}
