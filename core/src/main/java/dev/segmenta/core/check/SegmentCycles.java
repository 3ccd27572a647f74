package dev.segmenta.core.check;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds {@code in segment} cycles: segments are evaluated inline, so a cycle would never end. */
final class SegmentCycles {
    private SegmentCycles() {}

    /** The first cycle reachable from {@code segmentName} when it is defined as {@code definition}. */
    static Optional<List<String>> find(String segmentName, Rule definition, Schema schema) {
        List<String> path = new ArrayList<>();
        path.add(segmentName);
        return walk(definition, path, new HashSet<>(), segmentName, definition, schema);
    }

    private static Optional<List<String>> walk(Rule rule, List<String> path, Set<String> done,
            String root, Rule rootDefinition, Schema schema) {
        for (SegmentRule ref : references(rule)) {
            String next = ref.segmentName();
            int onPath = path.indexOf(next);
            if (onPath >= 0) {
                List<String> cycle = new ArrayList<>(path.subList(onPath, path.size()));
                cycle.add(next);
                return Optional.of(List.copyOf(cycle));
            }
            if (done.contains(next)) {
                continue;
            }
            Optional<Rule> nextRule = next.equals(root) ? Optional.of(rootDefinition) : schema.segment(next);
            if (nextRule.isPresent()) {
                path.add(next);
                Optional<List<String>> found = walk(nextRule.get(), path, done, root, rootDefinition, schema);
                if (found.isPresent()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
            done.add(next);
        }
        return Optional.empty();
    }

    /** The {@code in segment} rules of a rule, in text order. */
    static List<SegmentRule> references(Rule rule) {
        return References.segmentRules(rule);
    }
}
