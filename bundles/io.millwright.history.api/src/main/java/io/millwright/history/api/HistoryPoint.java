package io.millwright.history.api;

/**
 * One point of an answer: a raw sample (count 1) or the rollup of a bucket.
 *
 * @param timeMicros the sample's source time, or the bucket's start, in microseconds since the epoch
 * @param min the least value
 * @param max the greatest value
 * @param mean the mean value
 * @param count how many samples
 * @param last the value of the latest sample
 * @param badShare the share of samples whose quality was BAD, 0 to 1
 */
public record HistoryPoint(long timeMicros, double min, double max, double mean, long count, double last, double badShare) {
}
