package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Aggregate;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * {@code with sum|avg|min|max(field) op v} accumulated per user over the rows of S, exactly as the evaluator's
 * {@code EventMatch.AggregateValue}: every numeric value the path reaches counts (arrays by element), sums are
 * exact, and {@code avg op v} is decided as {@code sum op v * count}. The numbers of each distinct value list come
 * from the column's {@link NumericValues}, read once per distinct value and kept between evaluations.
 *
 * <p>Sums are longs in units of {@code 10^-scale} (the most decimals among the column's values): amounts in cents
 * add up in long arithmetic, exactly, with no BigDecimal per row; the bound is compared in the same unit when it has
 * no more decimals. A value that does not fit and a user's sum that overflows go to BigDecimal.
 */
final class Aggregation {
    private final Aggregate aggregate;
    private final int[] ids;
    // per distinct value list of the column
    private final int[] numbers;
    private final NumericValues values;
    private final int scale;
    private final NumericValues.Ranks ranks;
    // per user ordinal
    private final int[] valueCounts;
    private final long[] longSum;
    private BigDecimal[] bigSum;
    private final int[] best;
    private final int users;
    /** The bound in units of {@code 10^-scale}, or null when it has more decimals or does not fit. */
    private final Long wantedLong;
    private final boolean min;

    /** Per-user arrays for {@code users} ordinals from {@code scratch}; {@link #release} gives them back. */
    Aggregation(Aggregate aggregate, ValueColumn column, int users, Scratch scratch) {
        this(aggregate, column.ids(), column.numbers(), users, scratch, null, null, null);
    }

    /**
     * Over per-user totals kept between evaluations ({@link UserTotals}: sum and avg over every row): only
     * {@link #holds} is used, and nothing is released.
     */
    static Aggregation overTotals(Aggregate aggregate, NumericValues values, int[] valueCounts, long[] longSum,
            BigDecimal[] bigSum) {
        if (aggregate.function() != Aggregate.Function.SUM && aggregate.function() != Aggregate.Function.AVG) {
            throw new IllegalArgumentException("totals hold sums only, not " + aggregate.function());
        }
        return new Aggregation(aggregate, null, values, valueCounts.length, null, valueCounts, longSum, bigSum);
    }

    private Aggregation(Aggregate aggregate, int[] ids, NumericValues values, int users, Scratch scratch,
            int[] totalCounts, long[] totalSums, BigDecimal[] totalBig) {
        this.aggregate = aggregate;
        this.users = users;
        this.ids = ids; // the column's ids; null over totals
        numbers = values.numbers;
        this.values = values;
        scale = values.scale;
        min = aggregate.function() == Aggregate.Function.MIN;
        boolean extremes = min || aggregate.function() == Aggregate.Function.MAX;
        ranks = extremes ? values.ranks(min) : null;
        Long whole;
        try {
            whole = aggregate.value().setScale(scale).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            whole = null;
        }
        wantedLong = whole;
        if (scratch == null) {
            valueCounts = totalCounts;
            longSum = totalSums;
            bigSum = totalBig;
            best = null;
            return;
        }
        valueCounts = scratch.ints(users);
        longSum = extremes ? null : scratch.longs(users);
        best = extremes ? scratch.ints(users) : null;
        if (best != null) {
            Arrays.fill(best, 0, users, -1);
        }
    }

    void add(int user, int row) {
        int id = ids[row];
        if (numbers[id] == 0) {
            return;
        }
        valueCounts[user] += numbers[id];
        if (best != null) {
            int b = best[user];
            int r = ranks.rank()[id];
            if (b < 0 || (min ? r < b : r > b)) {
                best[user] = r;
            }
            return;
        }
        bigSum = addToSum(values, id, user, longSum, bigSum);
    }

    /**
     * Adds the numbers of distinct value list {@code id} to {@code user}'s exact sum, as every per-user sum here and in
     * {@link UserTotals} does: in longs (units of {@code 10^-scale}) while they fit, in BigDecimal from the row whose
     * value does not fit or whose addition overflows. Returns {@code bigSum}, allocated on first need.
     */
    static BigDecimal[] addToSum(NumericValues values, int id, int user, long[] longSum, BigDecimal[] bigSum) {
        if (bigSum != null && bigSum[user] != null) {
            bigSum[user] = bigSum[user].add(values.sum(id));
            return bigSum;
        }
        if (values.longExact[id]) {
            try {
                longSum[user] = Math.addExact(longSum[user], values.longSums[id]);
                return bigSum;
            } catch (ArithmeticException e) {
                // to BigDecimal below
            }
        }
        BigDecimal[] big = bigSum != null ? bigSum : new BigDecimal[longSum.length];
        big[user] = BigDecimal.valueOf(longSum[user], values.scale).add(values.sum(id));
        return big;
    }

    /**
     * Adds what {@code other} accumulated (the same aggregate over other rows, from another part of a
     * {@link RowScan}) into this one: counts add, sums add exactly (to BigDecimal on overflow), min/max keep the
     * better rank.
     */
    void merge(Aggregation other) {
        for (int u = 0; u < users; u++) {
            int n = other.valueCounts[u];
            if (n == 0) {
                continue;
            }
            valueCounts[u] += n;
            if (best != null) {
                int r = other.best[u];
                int b = best[u];
                if (r >= 0 && (b < 0 || (min ? r < b : r > b))) {
                    best[u] = r;
                }
                continue;
            }
            boolean exact = (bigSum == null || bigSum[u] == null) && (other.bigSum == null || other.bigSum[u] == null);
            if (exact) {
                try {
                    longSum[u] = Math.addExact(longSum[u], other.longSum[u]);
                    continue;
                } catch (ArithmeticException e) {
                    // falls through to BigDecimal
                }
            }
            big()[u] = sum(u).add(other.sum(u));
        }
    }

    /** Gives the per-user arrays back; this aggregation must not be used afterwards. */
    void release(Scratch scratch) {
        scratch.give(valueCounts);
        scratch.give(longSum);
        scratch.give(best);
    }

    private BigDecimal[] big() {
        if (bigSum == null) {
            bigSum = new BigDecimal[longSum.length];
        }
        return bigSum;
    }

    private BigDecimal sum(int user) {
        return bigSum != null && bigSum[user] != null ? bigSum[user] : BigDecimal.valueOf(longSum[user], scale);
    }

    /** The aggregate over the values accumulated for this user meets the comparison. */
    boolean holds(int user) {
        BigDecimal wanted = aggregate.value();
        int n = valueCounts[user];
        if (best != null) {
            return n > 0 && aggregate.op().holds(ranks.byRank()[best[user]].compareTo(wanted));
        }
        if (wantedLong != null && (bigSum == null || bigSum[user] == null)) {
            // The common case without BigDecimal: the bound and the sum both in units of 10^-scale, in longs.
            long sum = longSum[user];
            if (aggregate.function() == Aggregate.Function.SUM) {
                return aggregate.op().holds(Long.compare(sum, wantedLong));
            }
            if (n == 0) {
                return false;
            }
            try {
                return aggregate.op().holds(Long.compare(sum, Math.multiplyExact(wantedLong, (long) n)));
            } catch (ArithmeticException e) {
                // falls through to BigDecimal
            }
        }
        if (aggregate.function() == Aggregate.Function.SUM) {
            return aggregate.op().holds(sum(user).compareTo(wanted));
        }
        return n > 0 && aggregate.op().holds(sum(user).compareTo(wanted.multiply(BigDecimal.valueOf(n))));
    }
}
