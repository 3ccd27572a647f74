package dev.segmenta.web.iterable;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Iterable's date format in responses: {@code 2026-01-31 10:00:00 +00:00}. */
final class IterableDates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx").withZone(ZoneOffset.UTC);

    private IterableDates() {}

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }
}
