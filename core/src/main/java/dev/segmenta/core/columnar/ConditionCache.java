package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Value;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * The users matching a profile condition that does not depend on the time ({@code plan = "pro"}, {@code email is
 * set}, {@code age >= 30}), kept between evaluations. A preview asks the same conditions again and again — the
 * editor re-sends the rule on each keystroke, and every preview's reach asks each channel's requirement such as
 * {@code email is set} — and on a column of unique values (emails, phone numbers) deciding the condition costs one
 * test per user: at 1M users that was most of a preview's floor (docs/performance.md).
 *
 * <p>Like the columns it is extended, not rebuilt: users are only ever appended (a replaced user gets a new ordinal
 * and the evaluator removes tombstoned ones with {@code and(live)}), so an entry decides only the distinct values
 * and ordinals added since it was last used. It is dropped with the columns when the index compacts. Conditions
 * that read the clock (date conditions, anniversaries, date literals) are never cached. At most {@link #MAX_ENTRIES}
 * conditions are kept, least recently used first out: at 1M users an entry is at most ~250 KB (a bit per distinct
 * value and a bitmap of users), so the cache stays under ~64 MB.
 */
final class ConditionCache {
    static final int MAX_ENTRIES = 256;

    private record Key(FieldPath path, FieldCondition condition, ZoneId zone) {}

    private static final class Entry {
        /** The decided distinct value lists that satisfy the condition (a bit each: unique columns have 1M). */
        private final BitSet ok = new BitSet();
        private int decidedIds;
        private final RoaringBitmap matching = new RoaringBitmap();
        private int decidedOrdinals;

        synchronized RoaringBitmap upTo(ValueColumn column, FieldCondition condition, ColumnMatcher matcher, int count) {
            int distinct = column.distinctCount();
            if (decidedIds < distinct) {
                boolean[] added = new boolean[distinct];
                matcher.decide(column, condition, added, decidedIds, distinct);
                for (int id = decidedIds; id < distinct; id++) {
                    if (added[id]) {
                        ok.set(id);
                    }
                }
                decidedIds = distinct;
            }
            int[] ids = column.ids();
            for (int o = decidedOrdinals; o < count; o++) {
                if (ok.get(ids[o])) {
                    matching.add(o);
                }
            }
            decidedOrdinals = Math.max(decidedOrdinals, count);
            return matching.clone();
        }

        synchronized long approximateBytes() {
            return ok.size() / 8 + matching.getSizeInBytes();
        }
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Whether the condition's answer for a value is the same at every instant. */
    static boolean timeless(FieldCondition condition) {
        if (condition instanceof DateCondition || condition instanceof Anniversary) {
            return false;
        }
        List<Value> values;
        if (condition instanceof FieldCondition.Compare c) {
            values = List.of(c.value());
        } else if (condition instanceof FieldCondition.Between b) {
            values = List.of(b.low(), b.high());
        } else if (condition instanceof FieldCondition.In in) {
            values = in.values();
        } else if (condition instanceof FieldCondition.Contains contains) {
            values = List.of(contains.value());
        } else if (condition instanceof FieldCondition.ContainsSet set) {
            values = set.values();
        } else {
            values = List.of();
        }
        return values.stream().noneMatch(v -> v instanceof Value.Date);
    }

    /**
     * The ordinals below {@code count} (live or not) whose values in {@code column} satisfy the timeless
     * {@code condition}; the bitmap is the caller's.
     */
    RoaringBitmap matching(ValueColumn column, FieldCondition condition, ZoneId zone, ColumnMatcher matcher, int count) {
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(new Key(column.path(), condition, zone), k -> new Entry());
        }
        return entry.upTo(column, condition, matcher, count);
    }

    long approximateBytes() {
        List<Entry> all;
        synchronized (entries) {
            all = List.copyOf(entries.values());
        }
        return all.stream().mapToLong(Entry::approximateBytes).sum();
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
