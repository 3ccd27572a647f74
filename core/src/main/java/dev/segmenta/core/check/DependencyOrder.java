package dev.segmenta.core.check;

import dev.segmenta.core.ast.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Orders segments so that each comes after the segments its rule references ({@code in segment "S"}), for work that
 * must see S first: a recompute run, an import of segments as code. References to segments not in the list are
 * ignored. Independent segments keep their input order as far as their references allow. The checker rejects cycles
 * at save time; should one be in the input anyway, its members are still all placed, each after the ones it
 * references that were placed before it.
 *
 * <pre>{@code
 * // A: in segment "C";  B: age > 30;  C: in list "VIP"
 * DependencyOrder.of(List.of(a, b, c), Seg::name, Seg::rule)  // → [C, A, B]
 * }</pre>
 */
public final class DependencyOrder {
    private DependencyOrder() {}

    public static <T> List<T> of(List<T> segments, Function<T, String> name, Function<T, Rule> rule) {
        Map<String, T> byName = new LinkedHashMap<>();
        segments.forEach(s -> byName.put(name.apply(s), s));
        List<T> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (T s : segments) {
            visit(s, name, rule, byName, done, visiting, out);
        }
        return out;
    }

    private static <T> void visit(T s, Function<T, String> name, Function<T, Rule> rule, Map<String, T> byName, Set<String> done,
            Set<String> visiting, List<T> out) {
        String own = name.apply(s);
        if (done.contains(own) || !visiting.add(own)) {
            return;
        }
        for (String referencedName : References.segmentsIn(rule.apply(s))) {
            T referenced = byName.get(referencedName);
            if (referenced != null) {
                visit(referenced, name, rule, byName, done, visiting, out);
            }
        }
        visiting.remove(own);
        done.add(own);
        out.add(s);
    }
}
