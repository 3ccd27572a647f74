package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.FieldPath;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
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
    final ByteArena data = new ByteArena(64);
    final Map<Integer, Instant> oddTimes = new HashMap<>();
    final Map<FieldPath, ValueColumn> columns = new ConcurrentHashMap<>();

    private final KeyDictionary keys;

    EventTable(String name, KeyDictionary keys) {
        this.name = name;
        this.keys = keys;
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
        return column.upToDate(source(), keys);
    }

    private ValueColumn.Source source() {
        return new ValueColumn.Source() {
            @Override
            public int count() {
                return size;
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
        return bytes;
    }
}
