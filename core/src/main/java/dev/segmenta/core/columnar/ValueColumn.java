package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.FieldPath;
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

    ValueColumn(FieldPath path, String label) {
        this.path = path;
        this.label = label;
        distinct.add(List.of());
        dedup.put(List.of(), 0);
    }

    String label() {
        return label;
    }

    FieldPath path() {
        return path;
    }

    /** Brings the column up to the source's items; returns it for reading. */
    synchronized ValueColumn upToDate(Source source, KeyDictionary keys) {
        int count = source.count();
        if (built == count) {
            return this;
        }
        int[] keyIds = new int[path.steps().size()];
        for (int i = 0; i < keyIds.length; i++) {
            keyIds[i] = keys.find(path.steps().get(i));
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
        if (dedup != null) {
            if (dedup.size() < DEDUP_LIMIT) {
                dedup.put(values, id);
            } else {
                dedup = null;
            }
        }
        return id;
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
        return ids.length * 4L + distinct.size() * 72L;
    }
}
