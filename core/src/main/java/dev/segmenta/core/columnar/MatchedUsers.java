package dev.segmenta.core.columnar;

import java.util.List;
import java.util.function.IntPredicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * The user ordinals with at least one row of an event table that passes one {@code where} filter which does not
 * read the clock ({@code performed "purchase" where item = "jacket"}: no window, no count above one, no aggregate),
 * kept between evaluations. Without it each such condition read every row of its event at every preview: at 1M
 * users the two purchase filters of "in California, bought a jacket but not boots" were most of its preview.
 *
 * <p>Like {@link UserTotals} it is extended, not rebuilt: rows are only appended (a changed user's rows come again
 * under a new ordinal and the old ordinal is tombstoned, which the evaluator removes), so an entry reads only the
 * rows added since it was last used, with the filter as it is decided now (a decision per distinct value never
 * changes for a filter that does not read the clock). Sorting the table moves rows across the covered boundary, so
 * {@link EventTable#sortByTime} drops every entry; a compaction makes new tables and so new entries.
 */
final class MatchedUsers {
    private final RoaringBitmap users = new RoaringBitmap();
    private int rowsCovered;

    /**
     * The users with a row passing {@code matches} among the table's rows, as a new bitmap the caller may change;
     * the rows not yet covered are read (over the cores when there are many) with ordinals below {@code n}.
     */
    synchronized RoaringBitmap upToDate(EventTable table, IntPredicate matches, int n) {
        if (rowsCovered < table.size) {
            int[] slices = {rowsCovered, table.size};
            List<long[]> found = RowScan.run(slices, RowScan.parts(RowScan.rows(slices)), (part, piece) -> {
                long[] words = BitmapEvaluator.words(n);
                for (int s = 0; s < piece.length; s += 2) {
                    for (int r = piece[s]; r < piece[s + 1]; r++) {
                        if (matches.test(r)) {
                            BitmapEvaluator.set(words, table.ordinals[r]);
                        }
                    }
                }
                return words;
            });
            users.or(BitmapEvaluator.bitmap(BitmapEvaluator.or(found)));
            rowsCovered = table.size;
        }
        return users.clone();
    }

    synchronized long approximateBytes() {
        return users.getLongSizeInBytes();
    }
}
