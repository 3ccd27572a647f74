package dev.segmenta.core.eval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of a user as the evaluator sees it: {@code purchase} at {@code 2026-01-31T10:00:00Z} with
 * {@code {"item": "jacket", "amount": 120}}. Event names compare case-sensitively. {@code dataFields} may hold
 * nulls (JSON {@code null}); a {@code null} map is read as empty.
 */
public record EventRecord(String name, Instant createdAt, Map<String, Object> dataFields) {
    public EventRecord {
        requireNonNull(name, "name is null");
        requireNonNull(createdAt, "createdAt is null");
        dataFields = dataFields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(dataFields));
    }

    public static EventRecord of(String name, Instant createdAt) {
        return new EventRecord(name, createdAt, Map.of());
    }
}
