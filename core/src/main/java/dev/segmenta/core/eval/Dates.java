package dev.segmenta.core.eval;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a profile or event value as a point in time. An {@link Instant} is itself; a string is a date when it
 * is, in full, one of
 *
 * <ul>
 *   <li>{@code 2026-01-31}: the start of that day in the project time zone;
 *   <li>{@code 2026-01-31T10:00}, {@code 2026-01-31T10:00:00}, {@code 2026-01-31T10:00:00.123}, with {@code T}
 *       or one space between date and time, optionally followed (with or without one space) by {@code Z} or an
 *       offset {@code ±hh:mm}: {@code 2026-01-31T10:00:00Z}, {@code 2026-01-31 10:00:00 +00:00}. Without an
 *       offset the time is read in the project time zone.
 * </ul>
 *
 * Anything else (numbers, impossible dates like {@code 2026-02-30}, other formats) is not a date.
 */
public final class Dates {
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})"
                    + "(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)? ?(Z|[+-]\\d{2}:\\d{2})?)?");

    private Dates() {}

    public static Optional<Instant> of(Object value, ZoneId zone) {
        if (value instanceof Instant instant) {
            return Optional.of(instant);
        }
        if (value instanceof String text) {
            return parse(text, zone);
        }
        return Optional.empty();
    }

    public static Optional<Instant> parse(String text, ZoneId zone) {
        if (!startsLikeADate(text)) {
            return Optional.empty(); // most texts are not dates: no matcher for them (ingest asks this of every string value)
        }
        Matcher m = ISO.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(num(m.group(1)), num(m.group(2)), num(m.group(3)));
            if (m.group(4) == null) {
                return Optional.of(date.atStartOfDay(zone).toInstant());
            }
            String fraction = m.group(7) == null ? "" : m.group(7);
            int nanos = fraction.isEmpty() ? 0 : num((fraction + "000000000").substring(0, 9));
            LocalTime time = LocalTime.of(num(m.group(4)), num(m.group(5)), m.group(6) == null ? 0 : num(m.group(6)),
                    nanos);
            LocalDateTime local = LocalDateTime.of(date, time);
            String offset = m.group(8);
            if (offset == null) {
                return Optional.of(local.atZone(zone).toInstant());
            }
            return Optional.of(local.toInstant(ZoneOffset.of(offset)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code YYYY-MM-DD} at the start, as {@link #ISO} requires ({@code \\d} is ASCII digits only). */
    private static boolean startsLikeADate(String text) {
        if (text.length() < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            char c = text.charAt(i);
            if (i != 4 && i != 7 && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int num(String digits) {
        return Integer.parseInt(digits);
    }
}
