package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events of one name as parallel columns: row {@code r} is user ordinal {@code ordinals[r]} at
 * {@code micros[r]} (microseconds since the epoch, PostgreSQL's own precision) with its data fields packed in
 * {@code data} between {@code dataEnd[r-1]} and {@code dataEnd[r]}. Rows are only appended; the rows of a
 * replaced or removed user die with its ordinal and go at the next compaction. A time that is not a whole
 * microsecond (or lies beyond ±292,000 years) keeps its exact {@link Instant} in {@code oddTimes}, so windows
 * agree with the evaluator to the nanosecond.
 */
final class EventTable {
    final String name;
    int size;
    int[] ordinals = new int[16];
    long[] micros = new long[16];
    int[] dataEnd = new int[16];
    ByteArena data = new ByteArena(64);
    final Map<Integer, Instant> oddTimes = new HashMap<>();
    final Map<FieldPath, ValueColumn> columns = new ConcurrentHashMap<>();
    /** Rows {@code [0, sortedUpTo)} are in time order; later rows were appended since the last sort. */
    int sortedUpTo;

    private final KeyDictionary keys;

    EventTable(String name, KeyDictionary keys) {
        this.name = name;
        this.keys = keys;
    }

    /** A table read back from a file ({@link IndexFile}): the arrays are taken as they are. */
    static EventTable restored(ColumnarIndex.FrozenTable frozen, KeyDictionary keys) {
        EventTable table = new EventTable(frozen.name(), keys);
        int n = frozen.size();
        if (frozen.ordinals().length < n || frozen.micros().length < n || frozen.dataEnd().length < n
                || frozen.sortedUpTo() > n || (n > 0 && frozen.dataEnd()[n - 1] > frozen.dataSize())) {
            throw new IllegalArgumentException("event table " + frozen.name() + " is inconsistent");
        }
        table.size = n;
        table.sortedUpTo = frozen.sortedUpTo();
        table.ordinals = frozen.ordinals();
        table.micros = frozen.micros();
        table.dataEnd = frozen.dataEnd();
        table.data = ByteArena.wrap(frozen.data(), frozen.dataSize());
        table.oddTimes.putAll(frozen.oddTimes());
        return table;
    }

    /** Makes room for {@code rows} rows in all, so that a bulk load of a known size does not grow by copies. */
    void reserve(int rows) {
        if (rows > ordinals.length) {
            ordinals = Arrays.copyOf(ordinals, rows);
            micros = Arrays.copyOf(micros, rows);
            dataEnd = Arrays.copyOf(dataEnd, rows);
        }
    }

    /** Drops the growth room of every array (after a bulk load): capacity equals the rows. */
    void trim() {
        if (ordinals.length > size) {
            ordinals = Arrays.copyOf(ordinals, size);
            micros = Arrays.copyOf(micros, size);
            dataEnd = Arrays.copyOf(dataEnd, size);
        }
        data.trim();
    }

    void append(int ordinal, Instant createdAt, Map<String, Object> dataFields) {
        if (size == ordinals.length) {
            int capacity = size + (size >> 1) + 16;
            ordinals = Arrays.copyOf(ordinals, capacity);
            micros = Arrays.copyOf(micros, capacity);
            dataEnd = Arrays.copyOf(dataEnd, capacity);
        }
        ordinals[size] = ordinal;
        long t = Times.floorMicros(createdAt);
        micros[size] = t;
        if (!Times.isExactMicros(createdAt)) {
            oddTimes.put(size, createdAt);
        }
        if (!dataFields.isEmpty()) {
            PackedValues.write(data, dataFields, keys);
        }
        dataEnd[size] = data.size();
        size++;
    }

    /** Appends the rows of {@code from} whose ordinal survives compaction, renumbered by {@code remap}. */
    void copyLiveRows(EventTable from, int[] remap) {
        for (int r = 0; r < from.size; r++) {
            int ordinal = remap[from.ordinals[r]];
            if (ordinal < 0) {
                continue;
            }
            if (size == ordinals.length) {
                int capacity = size + (size >> 1) + 16;
                ordinals = Arrays.copyOf(ordinals, capacity);
                micros = Arrays.copyOf(micros, capacity);
                dataEnd = Arrays.copyOf(dataEnd, capacity);
            }
            ordinals[size] = ordinal;
            micros[size] = from.micros[r];
            Instant odd = from.oddTimes.isEmpty() ? null : from.oddTimes.get(r);
            if (odd != null) {
                oddTimes.put(size, odd);
            }
            int start = from.dataStart(r);
            data.write(from.data.bytes(), start, from.dataEnd[r] - start);
            dataEnd[size] = data.size();
            size++;
        }
    }

    /**
     * Per user ordinal, the earliest and latest time of any row (microseconds; {@code Long.MAX_VALUE} /
     * {@code Long.MIN_VALUE} for none): {@code first/last performed E} without {@code where} reads these instead
     * of the rows. Built on first use, extended with appended rows, unaffected by sorting (kept up to date
     * before it). Meaningless when some rows have sub-microsecond times; callers check {@link #oddTimes}.
     */
    static final class Recency {
        long[] first = new long[0];
        long[] last = new long[0];
        int rows;
    }

    private Recency recency;
    private record TotalsKey(FieldPath field, Aggregate.Function kind) {}

    /** Per-user totals over every row (UserTotals): with a field's sums or extremes, by path and kind; rows only, apart. */
    private final Map<TotalsKey, UserTotals> totals = new ConcurrentHashMap<>();
    private final UserTotals rowTotals = new UserTotals();

    /** At most this many {@link MatchedUsers} per table, least recently used first out (~125 KB each at 1M users). */
    static final int MAX_MATCHED = 32;

    private record MatchedKey(List<FieldRule> where, ZoneId zone) {}

    private final Map<MatchedKey, MatchedUsers> matched = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MatchedKey, MatchedUsers> eldest) {
            return size() > MAX_MATCHED;
        }
    };

    /** The kept users with a row passing {@code where} (filters that do not read the clock) in {@code zone}. */
    MatchedUsers matched(List<FieldRule> where, ZoneId zone) {
        synchronized (matched) {
            return matched.computeIfAbsent(new MatchedKey(List.copyOf(where), zone), k -> new MatchedUsers());
        }
    }

    /**
     * Per-user totals of every row, with {@code aggregate}'s state over its field's numbers (null: rows only), up to
     * date.
     */
    UserTotals totals(Aggregate aggregate, int users) {
        if (aggregate == null) {
            return rowTotals.upToDate(this, users);
        }
        ValueColumn column = column(aggregate.field()); // up to date with the rows, and so are its numbers when read
        Aggregate.Function kind = Aggregation.kind(aggregate.function());
        return totals.computeIfAbsent(new TotalsKey(aggregate.field(), kind), k -> new UserTotals(column, kind))
                .upToDate(this, users);
    }

    synchronized Recency recency() {
        Recency r = recency;
        if (r == null) {
            r = new Recency();
        }
        for (int row = r.rows; row < size; row++) {
            int o = ordinals[row];
            if (o >= r.first.length) {
                int capacity = Math.max(o + 1, r.first.length + (r.first.length >> 1) + 16);
                int old = r.first.length;
                r.first = Arrays.copyOf(r.first, capacity);
                r.last = Arrays.copyOf(r.last, capacity);
                Arrays.fill(r.first, old, capacity, Long.MAX_VALUE);
                Arrays.fill(r.last, old, capacity, Long.MIN_VALUE);
            }
            long t = micros[row];
            if (t < r.first[o]) {
                r.first[o] = t;
            }
            if (t > r.last[o]) {
                r.last[o] = t;
            }
        }
        r.rows = size;
        recency = r;
        return r;
    }

    /** Worth sorting: the unsorted tail is more than an eighth of the table (and not tiny). */
    boolean tailIsLong() {
        int tail = size - sortedUpTo;
        return tail > 1024 && tail > size / 8;
    }

    /**
     * Puts all rows in time order, so that windows are a binary search; the data arena is rewritten in the new
     * order and the built columns are permuted with the rows (not rebuilt).
     */
    void sortByTime() {
        if (sortedUpTo == size) {
            return;
        }
        for (ValueColumn column : columns.values()) {
            column.upToDate(source());
        }
        if (recency != null) {
            recency();
        }
        // Which rows a MatchedUsers covers is a prefix of the rows: after mixing they are made again on use.
        synchronized (matched) {
            matched.clear();
        }
        // Totals do not depend on the order of rows, only on which rows they cover: cover them all before mixing.
        for (UserTotals t : totals.values()) {
            t.upToDate(this, 0);
        }
        if (rowTotals.inUse()) {
            rowTotals.upToDate(this, 0);
        }
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        long[] keys = Arrays.copyOf(micros, size);
        RowSort.sort(keys, perm, 0, size);
        // Sized to the rows (not the growth capacity): after the start-up load's one sort, nothing is over-allocated.
        int[] newOrdinals = new int[size];
        int[] newDataEnd = new int[size];
        ByteArena newData = new ByteArena(data.size());
        Map<Integer, Instant> newOdd = new HashMap<>();
        for (int i = 0; i < size; i++) {
            int r = perm[i];
            newOrdinals[i] = ordinals[r];
            int start = dataStart(r);
            newData.write(data.bytes(), start, dataEnd[r] - start);
            newDataEnd[i] = newData.size();
            Instant odd = oddTimes.isEmpty() ? null : oddTimes.get(r);
            if (odd != null) {
                newOdd.put(i, odd);
            }
        }
        micros = keys;
        ordinals = newOrdinals;
        dataEnd = newDataEnd;
        data = newData;
        oddTimes.clear();
        oddTimes.putAll(newOdd);
        for (ValueColumn column : columns.values()) {
            column.permute(perm, size);
        }
        sortedUpTo = size;
    }

    /**
     * The rows that can lie in {@code [lo, hi]} microseconds: a slice of the sorted prefix (widened by a
     * microsecond when some rows have sub-microsecond times, which are then checked exactly) and the whole unsorted
     * tail. Returns {@code {from, to, tailFrom, tailTo}}.
     */
    int[] candidateRows(long lo, long hi) {
        boolean odd = !oddTimes.isEmpty();
        long from = odd && lo != Long.MIN_VALUE ? lo - 1 : lo;
        long to = odd && hi != Long.MAX_VALUE ? hi + 1 : hi;
        int a = from == Long.MIN_VALUE ? 0 : firstSortedAtOrAfter(from);
        int b = to == Long.MAX_VALUE ? sortedUpTo : firstSortedAtOrAfter(to + 1);
        return new int[] {a, Math.max(a, b), sortedUpTo, size};
    }

    /** The first row of the sorted prefix with time {@code >= micros}. */
    int firstSortedAtOrAfter(long t) {
        int lo = 0;
        int hi = sortedUpTo;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (micros[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    int dataStart(int row) {
        return row == 0 ? 0 : dataEnd[row - 1];
    }

    /** The exact time of a row. */
    Instant time(int row) {
        Instant odd = oddTimes.isEmpty() ? null : oddTimes.get(row);
        return odd != null ? odd : Times.ofMicros(micros[row]);
    }

    ValueColumn column(FieldPath path) {
        ValueColumn column = columns.computeIfAbsent(path, p -> new ValueColumn(p, "event:" + name + "." + p.dotted()));
        return column.upToDate(source());
    }

    private ValueColumn.Source source() {
        return new ValueColumn.Source() {
            @Override
            public int count() {
                return size;
            }

            @Override
            public KeyDictionary keys() {
                return keys;
            }

            @Override
            public void reach(int row, int[] keyIds, List<Object> out) {
                int start = dataStart(row);
                if (start != dataEnd[row]) {
                    PackedValues.reach(data.bytes(), start, keyIds, keys, out);
                }
            }
        };
    }

    long approximateBytes() {
        long bytes = ordinals.length * 16L + data.capacityBytes() + oddTimes.size() * 64L;
        for (ValueColumn c : columns.values()) {
            bytes += c.approximateBytes();
        }
        for (UserTotals t : totals.values()) {
            bytes += t.approximateBytes();
        }
        synchronized (matched) {
            for (MatchedUsers m : matched.values()) {
                bytes += m.approximateBytes();
            }
        }
        return bytes + rowTotals.approximateBytes();
    }
}
