package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Aggregate;
import java.math.BigDecimal;

/**
 * {@code with sum|avg|min|max(field) op v} accumulated per user over the rows of S, exactly as the evaluator's
 * {@code EventMatch.AggregateValue}: every numeric value the path reaches counts (arrays by element), sums are
 * exact, and {@code avg op v} is decided as {@code sum op v * count}. The numbers of each distinct value list come
 * from the column's {@link NumericValues}, read once per distinct value and kept between evaluations.
 *
 * <p>Sums are longs in units of {@code 10^-scale} (the most decimals among the column's values): amounts in cents
 * add up in long arithmetic, exactly, with no BigDecimal per row; the bound is compared in the same unit when it has
 * no more decimals. A value that does not fit and a user's sum that overflows go to BigDecimal.
 *
 * <p>A user's state is two adjacent longs of one array ({@link #cells}): the rows counted and the values counted
 * (high and low 32 bits), then the sum (or, for min/max, the distinct value list holding the best value, plus one:
 * ids never change, so kept totals stay valid while new values change the ranks). A scan adds rows of users in no
 * particular order, so each row costs a cache miss per array it touches: at 1M users, three arrays (row counts,
 * value counts, sums) made "at least 3 purchases in 90 days with sum(amount) >= 500" three times slower than one.
 */
final class Aggregation {
    private static final long ROW = 1L << 32;
    private static final long VALUES = 0xFFFF_FFFFL;

    private final Aggregate aggregate;
    private final int[] ids;
    // per distinct value list of the column
    private final int[] numbers;
    private final NumericValues values;
    private final int scale;
    private final NumericValues.Ranks ranks;
    /** Min/max: whether the comparison holds for the value of each rank, decided once (not once per user). */
    private final boolean[] rankHolds;
    /** Per user ordinal {@code u}: {@code cells[2u]} rows << 32 | values, {@code cells[2u + 1]} the sum or best id + 1. */
    private final long[] cells;
    private BigDecimal[] bigSum;
    private final int users;
    /** The bound in units of {@code 10^-scale}, or null when it has more decimals or does not fit. */
    private final Long wantedLong;
    private final boolean min;
    private final boolean extremes;

    /** Per-user cells for {@code users} ordinals from {@code scratch}; {@link #release} gives them back. */
    Aggregation(Aggregate aggregate, ValueColumn column, int users, Scratch scratch) {
        this(aggregate, column.ids(), column.numbers(), users, scratch.longs(2 * users), null);
    }

    /**
     * Over per-user totals kept between evaluations ({@link UserTotals}: over every row, in the same cells, made for
     * the same kind of function — {@link #kind}): only {@link #holds} and {@link #rows} are used, nothing is released.
     */
    static Aggregation overTotals(Aggregate aggregate, NumericValues values, long[] cells, BigDecimal[] bigSum) {
        return new Aggregation(aggregate, null, values, cells.length / 2, cells, bigSum);
    }

    private Aggregation(Aggregate aggregate, int[] ids, NumericValues values, int users, long[] cells, BigDecimal[] bigSum) {
        this.aggregate = aggregate;
        this.users = users;
        this.ids = ids; // the column's ids; null over totals
        this.cells = cells;
        this.bigSum = bigSum;
        numbers = values.numbers;
        this.values = values;
        scale = values.scale;
        min = aggregate.function() == Aggregate.Function.MIN;
        extremes = min || aggregate.function() == Aggregate.Function.MAX;
        ranks = extremes ? values.ranks(min) : null;
        rankHolds = extremes ? new boolean[ranks.byRank().length] : null;
        // byRank has a slot per distinct value list with numbers; equal extremes share a rank, so its tail may be empty.
        for (int r = 0; rankHolds != null && r < rankHolds.length && ranks.byRank()[r] != null; r++) {
            rankHolds[r] = aggregate.op().holds(ranks.byRank()[r].compareTo(aggregate.value()));
        }
        Long whole;
        try {
            whole = aggregate.value().setScale(scale).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            whole = null;
        }
        wantedLong = whole;
    }

    /** Counts row {@code row} for {@code user} and adds its values. */
    void addRow(int user, int row) {
        int c = 2 * user;
        int id = ids[row];
        int k = numbers[id];
        cells[c] += ROW + k;
        if (k == 0) {
            return;
        }
        if (extremes) {
            cells[c + 1] = better(ranks, min, cells[c + 1], id + 1L);
            return;
        }
        bigSum = addToSum(values, id, cells, user, bigSum);
    }

    /** The better of two best cells (a value list id + 1, or 0 for none) by the ranks of their extremes. */
    static long better(NumericValues.Ranks ranks, boolean min, long best, long candidate) {
        if (candidate == 0) {
            return best;
        }
        if (best == 0) {
            return candidate;
        }
        int mine = ranks.rank()[(int) best - 1];
        int theirs = ranks.rank()[(int) candidate - 1];
        return (min ? theirs < mine : theirs > mine) ? candidate : best;
    }

    /** The kind of per-user state a function keeps: sums (sum, avg), or the best value of min, or of max. */
    static Aggregate.Function kind(Aggregate.Function function) {
        return function == Aggregate.Function.AVG ? Aggregate.Function.SUM : function;
    }

    /** How many rows were counted for {@code user}. */
    int rows(int user) {
        return (int) (cells[2 * user] >>> 32);
    }

    /** How many values were counted for {@code user}. */
    private int valueCount(int user) {
        return (int) (cells[2 * user] & VALUES);
    }

    /**
     * Adds the numbers of distinct value list {@code id} to {@code user}'s exact sum ({@code cells[2 * user + 1]}), as
     * every per-user sum here and in {@link UserTotals} does: in longs (units of {@code 10^-scale}) while they fit,
     * in BigDecimal from the row whose value does not fit or whose addition overflows. Returns {@code bigSum},
     * allocated on first need. The value count is the caller's.
     */
    static BigDecimal[] addToSum(NumericValues values, int id, long[] cells, int user, BigDecimal[] bigSum) {
        if (bigSum != null && bigSum[user] != null) {
            bigSum[user] = bigSum[user].add(values.sum(id));
            return bigSum;
        }
        int s = 2 * user + 1;
        if (values.longExact[id]) {
            try {
                cells[s] = Math.addExact(cells[s], values.longSums[id]);
                return bigSum;
            } catch (ArithmeticException e) {
                // to BigDecimal below
            }
        }
        BigDecimal[] big = bigSum != null ? bigSum : new BigDecimal[cells.length / 2];
        big[user] = BigDecimal.valueOf(cells[s], values.scale).add(values.sum(id));
        return big;
    }

    /**
     * Adds what {@code other} accumulated (the same aggregate over other rows, from another part of a
     * {@link RowScan}) into this one: rows and value counts add, sums add exactly (to BigDecimal on overflow),
     * min/max keep the better rank.
     */
    void merge(Aggregation other) {
        long[] more = other.cells;
        for (int u = 0; u < users; u++) {
            int c = 2 * u;
            long counted = more[c];
            if (counted == 0) {
                continue;
            }
            cells[c] += counted;
            long theirs = more[c + 1];
            if (extremes) {
                cells[c + 1] = better(ranks, min, cells[c + 1], theirs);
                continue;
            }
            boolean exact = (bigSum == null || bigSum[u] == null) && (other.bigSum == null || other.bigSum[u] == null);
            if (exact) {
                try {
                    cells[c + 1] = Math.addExact(cells[c + 1], theirs);
                    continue;
                } catch (ArithmeticException e) {
                    // falls through to BigDecimal
                }
            }
            BigDecimal sum = sum(u).add(other.sum(u));
            if (bigSum == null) {
                bigSum = new BigDecimal[users];
            }
            bigSum[u] = sum;
        }
    }

    /** Gives the cells back; this aggregation must not be used afterwards. */
    void release(Scratch scratch) {
        scratch.give(cells);
    }

    private BigDecimal sum(int user) {
        return bigSum != null && bigSum[user] != null ? bigSum[user] : BigDecimal.valueOf(cells[2 * user + 1], scale);
    }

    /** The aggregate over the values accumulated for this user meets the comparison. */
    boolean holds(int user) {
        BigDecimal wanted = aggregate.value();
        int n = valueCount(user);
        if (extremes) {
            return n > 0 && rankHolds[ranks.rank()[(int) cells[2 * user + 1] - 1]];
        }
        if (wantedLong != null && (bigSum == null || bigSum[user] == null)) {
            // The common case without BigDecimal: the bound and the sum both in units of 10^-scale, in longs.
            long sum = cells[2 * user + 1];
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
