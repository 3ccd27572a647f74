package dev.segmenta.web.iterable;

import java.util.Map;

/**
 * How Iterable-compatible responses are written: a field with no value is left out, never sent as {@code null}
 * (Iterable's own answers omit it, and the official client's response schemas accept a missing field, not null).
 */
final class IterableJson {
    private IterableJson() {}

    /** Puts {@code value} under {@code key} unless it is {@code null}. */
    static void putPresent(Map<String, Object> object, String key, Object value) {
        if (value != null) {
            object.put(key, value);
        }
    }
}
