package dev.segmenta.scheduler.recompute;

import dev.segmenta.core.check.References;
import dev.segmenta.persistence.segment.Segment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders segments so that each comes after the segments it references ({@code in segment "S"}): a run then
 * recomputes S before the segments built on it. The checker rejects cycles at save time; should one exist anyway,
 * its members keep their id order.
 */
final class DependencyOrder {
    private DependencyOrder() {}

    static List<Segment> of(List<Segment> segments) {
        Map<String, Segment> byName = new LinkedHashMap<>();
        segments.forEach(s -> byName.put(s.name(), s));
        List<Segment> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (Segment s : segments) {
            visit(s, byName, done, visiting, out);
        }
        return out;
    }

    private static void visit(Segment s, Map<String, Segment> byName, Set<String> done, Set<String> visiting, List<Segment> out) {
        if (done.contains(s.name()) || !visiting.add(s.name())) {
            return;
        }
        for (String name : References.segmentsIn(s.rule())) {
            Segment referenced = byName.get(name);
            if (referenced != null) {
                visit(referenced, byName, done, visiting, out);
            }
        }
        visiting.remove(s.name());
        done.add(s.name());
        out.add(s);
    }
}
