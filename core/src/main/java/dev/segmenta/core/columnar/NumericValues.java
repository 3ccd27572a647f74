package dev.segmenta.core.columnar;

import dev.segmenta.core.eval.FieldValues;
import dev.segmenta.core.eval.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The numbers of each distinct value list of a column, read once and kept with the column (like its
 * {@link ValueColumn.ZonedTimes}): for aggregates. Per distinct id: how many numbers the path reaches (arrays by
 * element, non-numbers skipped, exactly {@code Numbers.of} over {@code FieldValues.scalars}), their exact sum, and
 * the same sum as a long in units of {@code 10^-scale} when it fits ({@code longExact}; the BigDecimal sum is kept only
 * where it does not); {@code scale} is the most
 * decimals of any value seen (at most {@link #MAX_SCALE}). Values with more decimals, or too large, leave their id
 * to the BigDecimal sum. Extended when the column gains distinct values; recomputed whole when a new value has more
 * decimals than the scale so far.
 */
final class NumericValues {
    /** Most decimals kept in long arithmetic: at 9 a long still holds sums up to ~9.2e9. */
    static final int MAX_SCALE = 9;

    int upTo;
    int scale;
    int[] numbers = new int[0];
    boolean[] longExact = new boolean[0];
    long[] longSums = new long[0];
    BigDecimal[] sums = new BigDecimal[0];
    BigDecimal[] min = new BigDecimal[0];
    BigDecimal[] max = new BigDecimal[0];
    private Ranks minRanks;
    private Ranks maxRanks;

    /** Ranks of the distinct extremes, so that min and max compare ints per row instead of BigDecimals. */
    record Ranks(int[] rank, BigDecimal[] byRank) {}

    void extend(ValueColumn column, int n) {
        List<List<BigDecimal>> fresh = new ArrayList<>(n - upTo);
        int widest = scale;
        for (int id = upTo; id < n; id++) {
            List<BigDecimal> values = read(column, id);
            fresh.add(values);
            for (BigDecimal v : values) {
                if (v.scale() <= MAX_SCALE) {
                    widest = Math.max(widest, v.scale());
                }
            }
        }
        int from = upTo;
        if (widest > scale) {
            scale = widest;
            from = 0; // the long sums so far are in the old unit
        }
        numbers = Arrays.copyOf(numbers, n);
        longExact = Arrays.copyOf(longExact, n);
        longSums = Arrays.copyOf(longSums, n);
        sums = Arrays.copyOf(sums, n);
        min = Arrays.copyOf(min, n);
        max = Arrays.copyOf(max, n);
        for (int id = from; id < n; id++) {
            List<BigDecimal> values = id >= upTo ? fresh.get(id - upTo) : read(column, id);
            numbers[id] = values.size();
            BigDecimal sum = BigDecimal.ZERO;
            boolean exact = true;
            long longSum = 0;
            BigDecimal lo = null;
            BigDecimal hi = null;
            for (BigDecimal v : values) {
                sum = values.size() == 1 ? v : sum.add(v);
                if (exact) {
                    try {
                        // setScale to at least v's own scale never rounds (it throws when it would).
                        longSum = Math.addExact(longSum, v.setScale(scale).unscaledValue().longValueExact());
                    } catch (ArithmeticException e) {
                        exact = false;
                    }
                }
                lo = lo == null || v.compareTo(lo) < 0 ? v : lo;
                hi = hi == null || v.compareTo(hi) > 0 ? v : hi;
            }
            // The exact sum is needed only where the long one is not (or overflows, then rebuilt from it): keep it
            // there alone, to spare an object per distinct value.
            sums[id] = exact ? null : sum;
            longExact[id] = exact;
            longSums[id] = longSum;
            min[id] = lo;
            max[id] = hi;
        }
        upTo = n;
        minRanks = null;
        maxRanks = null;
    }

    /** The exact sum of id's numbers. */
    BigDecimal sum(int id) {
        return sums[id] != null ? sums[id] : BigDecimal.valueOf(longSums[id], scale);
    }

    long approximateBytes() {
        return upTo * 30L;
    }

    private static List<BigDecimal> read(ValueColumn column, int id) {
        List<BigDecimal> values = new ArrayList<>();
        for (Object scalar : FieldValues.scalars(column.values(id))) {
            Numbers.of(scalar).ifPresent(values::add);
        }
        return values;
    }

    /** Ranks of each id's minimum (or maximum) among all ids' minima (maxima); -1 where an id has no number. */
    synchronized Ranks ranks(boolean ofMin) {
        Ranks cached = ofMin ? minRanks : maxRanks;
        if (cached != null) {
            return cached;
        }
        BigDecimal[] extreme = ofMin ? min : max;
        int n = upTo;
        Integer[] order = new Integer[n];
        int withValues = 0;
        for (int id = 0; id < n; id++) {
            if (extreme[id] != null) {
                order[withValues++] = id;
            }
        }
        Arrays.sort(order, 0, withValues, Comparator.comparing(id -> extreme[id]));
        int[] rank = new int[n];
        Arrays.fill(rank, -1);
        BigDecimal[] byRank = new BigDecimal[withValues];
        int r = -1;
        for (int i = 0; i < withValues; i++) {
            if (i == 0 || extreme[order[i]].compareTo(extreme[order[i - 1]]) != 0) {
                r++;
                byRank[r] = extreme[order[i]];
            }
            rank[order[i]] = r;
        }
        Ranks out = new Ranks(rank, byRank);
        if (ofMin) {
            minRanks = out;
        } else {
            maxRanks = out;
        }
        return out;
    }
}
