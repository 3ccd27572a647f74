package dev.segmenta.persistence.segment;

import dev.segmenta.core.ast.Rule;
import java.time.Instant;

/** A saved segment as stored, with its current definition and freshness. */
public record Segment(long id, String name, String description, Kind kind, String dsl, Rule rule, int version,
        Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, long size, Instant lastComputedAt,
        Integer lastDurationMs, String lastError) {

    public enum Kind {
        DYNAMIC, STATIC;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind fromLabel(String label) {
            if (label == null || label.isBlank()) {
                return DYNAMIC;
            }
            return switch (label.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "dynamic" -> DYNAMIC;
                case "static" -> STATIC;
                default -> throw new IllegalArgumentException("kind must be 'dynamic' or 'static', got '" + label + "'");
            };
        }
    }
}
