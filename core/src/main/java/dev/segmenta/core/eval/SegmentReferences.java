package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.model.Directory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Inlines {@code in segment "S"}: S's current definition from the directory, evaluated in place. Remembers the
 * segments being evaluated so a cycle (which the checker rejects at save time) fails loudly instead of
 * recursing forever. One instance per evaluation; not thread-safe.
 */
final class SegmentReferences {
    private final Directory directory;
    private final Deque<String> open = new ArrayDeque<>();

    SegmentReferences(Directory directory) {
        this.directory = directory;
    }

    /** {@code inline} applied to S's definition, or empty when there is no segment S. */
    <R> Optional<R> inline(String name, Function<Rule, R> inline) {
        Optional<Rule> definition = directory.segment(name);
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        if (open.contains(name)) {
            List<String> cycle = new ArrayList<>(open);
            Collections.reverse(cycle);
            cycle.add(name);
            throw new IllegalStateException("segment reference cycle: " + String.join(" -> ", cycle)
                    + "; a segment cannot contain itself");
        }
        open.push(name);
        try {
            return Optional.of(inline.apply(definition.get()));
        } finally {
            open.pop();
        }
    }
}
