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
        return condition.accept(TIMELESS);
    }

    private static final FieldCondition.Visitor<Boolean> TIMELESS = new FieldCondition.Visitor<>() {
        @Override
        public Boolean compare(FieldCondition.Compare c) {
            return timeless(c.value());
        }

        @Override
        public Boolean between(FieldCondition.Between b) {
            return timeless(b.low()) && timeless(b.high());
        }

        @Override
        public Boolean in(FieldCondition.In in) {
            return in.values().stream().allMatch(ConditionCache::timeless);
        }

        @Override
        public Boolean contains(FieldCondition.Contains contains) {
            return timeless(contains.value());
        }

        @Override
        public Boolean containsSet(FieldCondition.ContainsSet set) {
            return set.values().stream().allMatch(ConditionCache::timeless);
        }

        @Override
        public Boolean affix(FieldCondition.Affix affix) {
            return true;
        }

        @Override
        public Boolean isSet(FieldCondition.IsSet isSet) {
            return true;
        }

        @Override
        public Boolean isBool(FieldCondition.IsBool isBool) {
            return true;
        }

        @Override
        public Boolean date(DateCondition date) {
            return false;
        }

        @Override
        public Boolean anniversary(Anniversary anniversary) {
            return false;
        }
    };

    /** A date literal's day is in the project zone, so only the other literals mean the same in every call. */
    private static boolean timeless(Value value) {
        return value.accept(TIMELESS_VALUE);
    }

    private static final Value.Visitor<Boolean> TIMELESS_VALUE = new Value.Visitor<>() {
        @Override
        public Boolean text(Value.Text value) {
            return true;
        }

        @Override
        public Boolean number(Value.Number value) {
            return true;
        }

        @Override
        public Boolean bool(Value.Bool value) {
            return true;
        }

        @Override
        public Boolean date(Value.Date value) {
            return false;
        }
    };

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
