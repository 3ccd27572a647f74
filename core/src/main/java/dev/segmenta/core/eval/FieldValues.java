package dev.segmenta.core.eval;

import dev.segmenta.core.ast.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values a path reaches in a JSON-like map. A step that meets an array applies to each element (nested
 * arrays too), so {@code items.name} over {@code {"items": [{"name": "a"}, {"name": "b"}]}} reaches
 * {@code "a"} and {@code "b"}. Missing keys, {@code null}s and steps into scalars reach nothing; the value at
 * the end of the path is kept whole, arrays included, because {@code is set} and {@code contains} look at the
 * array itself.
 */
public final class FieldValues {
    private FieldValues() {}

    public static List<Object> at(Map<String, ?> root, FieldPath path) {
        List<Object> out = new ArrayList<>();
        walk(root, path.steps(), 0, out);
        return out;
    }

    private static void walk(Object node, List<String> steps, int step, List<Object> out) {
        if (node == null) {
            return;
        }
        if (step == steps.size()) {
            out.add(node);
        } else if (node instanceof Map<?, ?> map) {
            walk(map.get(steps.get(step)), steps, step + 1, out);
        } else if (node instanceof List<?> list) {
            for (Object element : list) {
                walk(element, steps, step, out);
            }
        }
    }

    /** The values with arrays (at any depth) replaced by their elements, {@code null} elements dropped. */
    public static List<Object> scalars(List<Object> values) {
        List<Object> out = new ArrayList<>();
        for (Object value : values) {
            flatten(value, out);
        }
        return out;
    }

    private static void flatten(Object value, List<Object> out) {
        if (value instanceof List<?> list) {
            for (Object element : list) {
                flatten(element, out);
            }
        } else if (value != null) {
            out.add(value);
        }
    }
}
