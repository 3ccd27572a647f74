package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.eval.Dates;
import dev.segmenta.core.eval.Numbers;
import dev.segmenta.core.eval.TextFolding;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One field path over all users (or all rows of one event name), dictionary-encoded: {@code ids[i]} numbers the
 * distinct list of values the path reaches in item {@code i} ({@code FieldValues.at}), and id 0 is "reaches
 * nothing" (missing, null, or a path through a scalar). A condition is decided once per distinct value list,
 * with the evaluator's own {@code FieldMatcher}, then the ids are scanned.
 *
 * <p>Items never change once written (a replaced user gets a new ordinal), so the column only grows: it is
 * extended to the current item count on first use after a write. Extension is synchronised; reading happens
 * under the index's read lock, when nothing writes.
 */
final class ValueColumn {
    /** Where a column reads its items from. */
    interface Source {
        int count();

        KeyDictionary keys();

        void reach(int item, int[] keyIds, List<Object> out);
    }

    /** Dedup stops here: past it, high-cardinality columns (emails, timestamps) just append. */
    private static final int DEDUP_LIMIT = 1 << 16;

    private final FieldPath path;
    private final String label;
    private int[] ids = new int[0];
    private int built;
    private final List<List<Object>> distinct = new ArrayList<>();
    private Map<List<Object>, Integer> dedup = new HashMap<>();
    // Typed view per distinct id, for the fast paths of ColumnMatcher: see Kind.
    private byte[] kinds = new byte[16];
    private String[] folded = new String[16];
    private double[] approx = new double[16];
    private volatile ZonedTimes times;
    private volatile NumericValues numbers;

    ValueColumn(FieldPath path, String label) {
        this.path = path;
        this.label = label;
        distinct.add(List.of());
        dedup.put(List.of(), 0);
        kinds[0] = GENERAL;
    }

    /** A distinct value list that is anything but one of the single scalars below. */
    static final byte GENERAL = 0;
    /** Exactly one String value; {@code folded[id]} is its case fold. */
    static final byte TEXT = 1;
    /** Exactly one value that {@code Numbers.of} reads; {@code approx[id]} is its correctly rounded double. */
    static final byte NUMBER = 2;
    /** Exactly one Instant. */
    static final byte INSTANT = 3;
    /** Exactly one Boolean. */
    static final byte BOOLEAN = 4;

    private void classify(int id, List<Object> values) {
        if (id == kinds.length) {
            int capacity = id + (id >> 1) + 16;
            kinds = Arrays.copyOf(kinds, capacity);
            folded = Arrays.copyOf(folded, capacity);
            approx = Arrays.copyOf(approx, capacity);
        }
        byte kind = GENERAL;
        if (values.size() == 1) {
            Object v = values.get(0);
            if (v instanceof String s) {
                kind = TEXT;
                String f = TextFolding.fold(s);
                folded[id] = f.equals(s) ? s : f;
            } else if (v instanceof Instant) {
                kind = INSTANT;
            } else if (v instanceof Boolean) {
                kind = BOOLEAN;
            } else if (v instanceof Number) {
                Optional<BigDecimal> n = Numbers.of(v);
                if (n.isPresent()) {
                    kind = NUMBER;
                    approx[id] = n.get().doubleValue();
                }
            }
        }
        kinds[id] = kind;
    }

    byte kind(int id) {
        return kinds[id];
    }

    String folded(int id) {
        return folded[id];
    }

    double approx(int id) {
        return approx[id];
    }

    /**
     * The point in time each distinct single value stands for in {@code zone} ({@code Dates.of}: instants as
     * they are, ISO strings read in the zone), as whole microseconds; {@link ZonedTimes#NOT_FAST} where a value
     * is no date or not a whole microsecond (the caller then asks the FieldMatcher). Cached for the last zone.
     */
    synchronized ZonedTimes times(ZoneId zone) {
        ZonedTimes t = times;
        int n = distinct.size();
        if (t == null || !t.zone.equals(zone)) {
            t = new ZonedTimes(zone);
        }
        if (t.upTo < n) {
            t.extend(this, n);
        }
        times = t;
        return t;
    }

    /** The numbers of each distinct value list, for aggregates (see {@link NumericValues}); kept and extended. */
    synchronized NumericValues numbers() {
        NumericValues n = numbers;
        if (n == null) {
            n = new NumericValues();
        }
        if (n.upTo < distinct.size()) {
            n.extend(this, distinct.size());
        }
        numbers = n;
        return n;
    }

    static final class ZonedTimes {
        static final long NOT_FAST = Long.MIN_VALUE;
        final ZoneId zone;
        long[] micros = new long[0];
        int upTo;

        ZonedTimes(ZoneId zone) {
            this.zone = zone;
        }

        void extend(ValueColumn column, int n) {
            micros = Arrays.copyOf(micros, n);
            for (int id = upTo; id < n; id++) {
                long m = NOT_FAST;
                byte kind = column.kinds[id];
                if (kind == INSTANT || kind == TEXT) {
                    Optional<Instant> t = Dates.of(column.distinct.get(id).get(0), zone);
                    if (t.isPresent() && Times.isExactMicros(t.get())) {
                        m = Times.floorMicros(t.get());
                    }
                }
                micros[id] = m;
            }
            upTo = n;
        }
    }

    String label() {
        return label;
    }

    FieldPath path() {
        return path;
    }

    /** Brings the column up to the source's items; returns it for reading. */
    synchronized ValueColumn upToDate(Source source) {
        int count = source.count();
        if (built == count) {
            return this;
        }
        int[] keyIds = new int[path.steps().size()];
        for (int i = 0; i < keyIds.length; i++) {
            keyIds[i] = source.keys().find(path.steps().get(i));
        }
        if (ids.length < count) {
            ids = Arrays.copyOf(ids, Math.max(count, ids.length + ids.length / 2));
        }
        List<Object> reached = new ArrayList<>();
        for (int i = built; i < count; i++) {
            reached.clear();
            source.reach(i, keyIds, reached);
            ids[i] = reached.isEmpty() ? 0 : idOf(List.copyOf(nullSafe(reached)));
        }
        built = count;
        return this;
    }

    private static List<Object> nullSafe(List<Object> values) {
        // List.copyOf rejects nulls; reach never adds one (a null reaches nothing), so this is only a guard.
        for (Object v : values) {
            if (v == null) {
                throw new IllegalStateException("a path reached null");
            }
        }
        return values;
    }

    private int idOf(List<Object> values) {
        if (dedup != null) {
            Integer id = dedup.get(values);
            if (id != null) {
                return id;
            }
        }
        int id = distinct.size();
        distinct.add(values);
        classify(id, values);
        if (dedup != null) {
            if (dedup.size() < DEDUP_LIMIT) {
                dedup.put(values, id);
            } else {
                dedup = null;
            }
        }
        return id;
    }

    /** Rows were reordered: {@code newIds[i] = ids[perm[i]]} (only for columns built over all of them). */
    synchronized void permute(int[] perm, int count) {
        if (built != count) {
            throw new IllegalStateException("column " + label + " built over " + built + " of " + count + " rows");
        }
        int[] newIds = new int[ids.length];
        for (int i = 0; i < count; i++) {
            newIds[i] = ids[perm[i]];
        }
        ids = newIds;
    }

    int built() {
        return built;
    }

    int[] ids() {
        return ids;
    }

    int distinctCount() {
        return distinct.size();
    }

    List<Object> values(int id) {
        return distinct.get(id);
    }

    long approximateBytes() {
        NumericValues n = numbers;
        return ids.length * 4L + distinct.size() * 72L + kinds.length * 17L + (n == null ? 0 : n.approximateBytes());
    }
}
