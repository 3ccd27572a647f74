package dev.segmenta.core.text;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each node of a parsed rule starts in its text. Keyed by node identity (records with equal content
 * are still different nodes), so positions never take part in AST equality. A rule that came as JSON has an
 * empty map until its canonical text is parsed.
 *
 * <p>The parser records every {@code Rule}, {@code FieldRule}, {@code FieldPath}, {@code Value},
 * {@code FieldCondition}, {@code Count}, {@code Window} and {@code Aggregate} it creates.
 */
public final class SourceMap {
    public static final SourceMap EMPTY = new SourceMap(new IdentityHashMap<>());

    private final Map<Object, Position> positions;

    private SourceMap(Map<Object, Position> positions) {
        this.positions = positions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where {@code node} starts, or {@link Position#UNKNOWN}. */
    public Position positionOf(Object node) {
        return positions.getOrDefault(node, Position.UNKNOWN);
    }

    public static final class Builder {
        private final Map<Object, Position> positions = new IdentityHashMap<>();

        public <T> T record(T node, Position position) {
            positions.putIfAbsent(node, position);
            return node;
        }

        public SourceMap build() {
            return new SourceMap(new IdentityHashMap<>(positions));
        }
    }
}
