package dev.segmenta.scheduler.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Whether a run's size is an outlier: it differs from the median of the previous runs by more than the configured
 * fraction of that median. Medians ignore one odd run among the recent ones, which a mean would not. An empty
 * segment's median is 0, against which no fraction is defined: growth from nothing is not flagged.
 */
final class SizeAnomaly {
    private SizeAnomaly() {}

    /** The relative change from the median, when it exceeds {@code threshold}. */
    static Optional<Double> of(long size, List<Long> previous, double threshold) {
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        double median = median(previous);
        if (median <= 0) {
            return Optional.empty();
        }
        double change = (size - median) / median;
        return Math.abs(change) > threshold ? Optional.of(change) : Optional.empty();
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
