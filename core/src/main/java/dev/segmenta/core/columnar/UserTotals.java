package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Aggregate;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Per user ordinal, over every row of one event table: how many rows, and for one numeric field the count of its
 * numbers and their exact sum, or their minimum, or their maximum (as {@link Aggregation} accumulates them, in its
 * cells). {@code performed E [count] [with sum|avg|min|max(f) op v]} without {@code where} and without a window reads
 * these instead of the rows: a million users' "average order over 100, ever" is a pass over the users, not over every
 * purchase. Built on first use, extended
 * with appended rows (rows are only appended; the order does not matter to a total, so a re-sort only has to bring it
 * up to date first, as {@link EventTable.Recency}), rebuilt when the field's numbers gain decimals (the unit of the
 * long sums changes). A compaction makes new tables, and so new totals.
 */
final class UserTotals {
    private final ValueColumn column; // null: rows only
    private final Aggregate.Function kind; // SUM (sums, for sum and avg), MIN or MAX; null: rows only
    private int rowsCovered;
    private int scale;
    /** Rows only: per user ordinal, its rows. */
    private int[] rows = new int[0];
    /** With a field: {@link Aggregation}'s cells, two per user ordinal (rows and values counted, the sum). */
    private long[] cells = new long[0];
    private BigDecimal[] bigSum; // per user, where the long sum overflowed or a value does not fit

    /** Totals of the rows only. */
    UserTotals() {
        this(null, null);
    }

    /** Totals of the rows and of {@code column}'s numbers for functions of {@code kind} ({@link Aggregation#kind}). */
    UserTotals(ValueColumn column, Aggregate.Function kind) {
        this.column = column;
        this.kind = kind;
    }

    /**
     * Brings the totals up to the table's rows, with room for {@code users} ordinals; callers hold the index's
     * read lock (or its write lock, before a re-sort), and the column must be up to date with the table.
     */
    synchronized UserTotals upToDate(EventTable table, int users) {
        NumericValues values = column == null ? null : column.numbers();
        if (values != null && values.scale != scale) {
            scale = values.scale;
            rowsCovered = 0;
            Arrays.fill(cells, 0);
            bigSum = null;
        }
        grow(users);
        int[] ids = column == null ? null : column.ids();
        boolean extremes = kind == Aggregate.Function.MIN || kind == Aggregate.Function.MAX;
        NumericValues.Ranks ranks = extremes ? values.ranks(kind == Aggregate.Function.MIN) : null;
        for (int r = rowsCovered; r < table.size; r++) {
            int o = table.ordinals[r];
            if (o >= capacity()) {
                grow(Math.max(o + 1, capacity() + (capacity() >> 1) + 16));
            }
            if (values == null) {
                rows[o]++;
                continue;
            }
            int id = ids[r];
            int k = values.numbers[id];
            cells[2 * o] += (1L << 32) + k;
            if (k != 0 && extremes) {
                cells[2 * o + 1] = Aggregation.better(ranks, kind == Aggregate.Function.MIN, cells[2 * o + 1], id + 1L);
            } else if (k != 0) {
                bigSum = Aggregation.addToSum(values, id, cells, o, bigSum);
            }
        }
        rowsCovered = table.size;
        return this;
    }

    /** Whether these totals were ever asked for (a re-sort keeps only those up to date). */
    synchronized boolean inUse() {
        return capacity() > 0;
    }

    /** The user ordinals these totals have room for (users beyond have no rows). */
    int capacity() {
        return column == null ? rows.length : cells.length / 2;
    }

    /** The rows of user ordinal {@code o} (below {@link #capacity}). */
    int rows(int o) {
        return column == null ? rows[o] : (int) (cells[2 * o] >>> 32);
    }

    /** {@code with f(field) op v} over these totals, {@code f} of this kind (read only; nothing to release). */
    Aggregation aggregation(Aggregate aggregate) {
        if (Aggregation.kind(aggregate.function()) != kind) {
            throw new IllegalArgumentException("these totals hold " + kind + ", not " + aggregate.function());
        }
        return Aggregation.overTotals(aggregate, column.numbers(), cells, bigSum);
    }

    private void grow(int users) {
        if (capacity() < users) {
            if (column == null) {
                rows = Arrays.copyOf(rows, users);
            } else {
                cells = Arrays.copyOf(cells, 2 * users);
                if (bigSum != null) {
                    bigSum = Arrays.copyOf(bigSum, users);
                }
            }
        }
    }

    synchronized long approximateBytes() {
        return column == null ? rows.length * 4L : cells.length * 8L;
    }
}
