package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.eval.FieldValues;
import dev.segmenta.core.eval.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code with sum|avg|min|max(field) op v} accumulated per user over the rows of S, exactly as the evaluator's
 * {@code EventMatch.AggregateValue}: every numeric value the path reaches counts (arrays by element), sums are
 * exact (long arithmetic while it fits, BigDecimal after), and {@code avg op v} is decided as
 * {@code sum op v * count}. Per distinct value list of the field column the numbers are read once.
 */
final class Aggregation {
    private final Aggregate aggregate;
    private final int[] ids;
    // per distinct value list of the column
    private final int[] numbers;
    private final boolean[] longExact;
    private final long[] longSums;
    private final BigDecimal[] sums;
    private final int[] rank;
    private final BigDecimal[] byRank;
    // per user ordinal
    private final int[] valueCounts;
    private final long[] longSum;
    private BigDecimal[] bigSum;
    private final int[] best;
    private final Long wantedLong;

    Aggregation(Aggregate aggregate, ValueColumn column, int users) {
        this.aggregate = aggregate;
        this.ids = column.ids();
        int distinct = column.distinctCount();
        numbers = new int[distinct];
        longExact = new boolean[distinct];
        longSums = new long[distinct];
        sums = new BigDecimal[distinct];
        BigDecimal[] extreme = new BigDecimal[distinct];
        boolean min = aggregate.function() == Aggregate.Function.MIN;
        for (int id = 0; id < distinct; id++) {
            List<BigDecimal> values = new ArrayList<>();
            for (Object scalar : FieldValues.scalars(column.values(id))) {
                Numbers.of(scalar).ifPresent(values::add);
            }
            numbers[id] = values.size();
            BigDecimal sum = BigDecimal.ZERO;
            boolean exact = true;
            long longSumOfId = 0;
            for (BigDecimal v : values) {
                sum = sum.add(v);
                if (exact) {
                    try {
                        longSumOfId = Math.addExact(longSumOfId, v.longValueExact());
                    } catch (ArithmeticException e) {
                        exact = false;
                    }
                }
                if (extreme[id] == null || (min ? v.compareTo(extreme[id]) < 0 : v.compareTo(extreme[id]) > 0)) {
                    extreme[id] = v;
                }
            }
            sums[id] = sum;
            longExact[id] = exact;
            longSums[id] = longSumOfId;
        }
        // Min and max compare ranks of the distinct extremes instead of BigDecimals per row.
        Integer[] order = new Integer[distinct];
        int withValues = 0;
        for (int id = 0; id < distinct; id++) {
            if (extreme[id] != null) {
                order[withValues++] = id;
            }
        }
        Arrays.sort(order, 0, withValues, Comparator.comparing(id -> extreme[id]));
        rank = new int[distinct];
        Arrays.fill(rank, -1);
        byRank = new BigDecimal[withValues];
        int r = -1;
        for (int i = 0; i < withValues; i++) {
            if (i == 0 || extreme[order[i]].compareTo(extreme[order[i - 1]]) != 0) {
                r++;
                byRank[r] = extreme[order[i]];
            }
            rank[order[i]] = r;
        }
        Long whole;
        try {
            whole = aggregate.value().longValueExact();
        } catch (ArithmeticException e) {
            whole = null;
        }
        wantedLong = whole;
        valueCounts = new int[users];
        longSum = new long[users];
        best = new int[users];
        Arrays.fill(best, -1);
    }

    void add(int user, int row) {
        int id = ids[row];
        if (numbers[id] == 0) {
            return;
        }
        valueCounts[user] += numbers[id];
        if (bigSum == null || bigSum[user] == null) {
            if (longExact[id]) {
                try {
                    longSum[user] = Math.addExact(longSum[user], longSums[id]);
                } catch (ArithmeticException e) {
                    big()[user] = BigDecimal.valueOf(longSum[user]).add(sums[id]);
                }
            } else {
                big()[user] = BigDecimal.valueOf(longSum[user]).add(sums[id]);
            }
        } else {
            bigSum[user] = bigSum[user].add(sums[id]);
        }
        int b = best[user];
        boolean min = aggregate.function() == Aggregate.Function.MIN;
        if (b < 0 || (min ? rank[id] < b : rank[id] > b)) {
            best[user] = rank[id];
        }
    }

    private BigDecimal[] big() {
        if (bigSum == null) {
            bigSum = new BigDecimal[longSum.length];
        }
        return bigSum;
    }

    private BigDecimal sum(int user) {
        return bigSum != null && bigSum[user] != null ? bigSum[user] : BigDecimal.valueOf(longSum[user]);
    }

    /** The aggregate over the values accumulated for this user meets the comparison. */
    boolean holds(int user) {
        BigDecimal wanted = aggregate.value();
        int n = valueCounts[user];
        if (wantedLong != null && (bigSum == null || bigSum[user] == null)) {
            // The common case without BigDecimal: a whole-number bound and a sum that fits in a long.
            long sum = longSum[user];
            switch (aggregate.function()) {
                case SUM:
                    return aggregate.op().holds(Long.compare(sum, wantedLong));
                case AVG:
                    if (n == 0) {
                        return false;
                    }
                    long times;
                    try {
                        times = Math.multiplyExact(wantedLong, (long) n);
                    } catch (ArithmeticException e) {
                        break;
                    }
                    return aggregate.op().holds(Long.compare(sum, times));
                default:
                    break;
            }
        }
        switch (aggregate.function()) {
            case SUM:
                return aggregate.op().holds(sum(user).compareTo(wanted));
            case AVG:
                return n > 0 && aggregate.op().holds(sum(user).compareTo(wanted.multiply(BigDecimal.valueOf(n))));
            default:
                return n > 0 && aggregate.op().holds(byRank[best[user]].compareTo(wanted));
        }
    }

}
