package dev.segmenta.persistence.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The type of a field in the catalog, fixed by the first value seen. */
public enum FieldType {
    STRING, NUMBER, BOOLEAN, DATE, OBJECT, ARRAY;

    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern ITERABLE_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{2}:\\d{2}");
    private static final DateTimeFormatter ITERABLE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FieldType fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** The type a JSON value gives a new field; empty for null, which fixes nothing. */
    public static Optional<FieldType> of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(parseDate(value.textValue(), ZoneId.of("UTC")).isPresent() ? DATE : STRING);
        }
        if (value.isNumber()) {
            return Optional.of(NUMBER);
        }
        if (value.isBoolean()) {
            return Optional.of(BOOLEAN);
        }
        if (value.isObject()) {
            return Optional.of(OBJECT);
        }
        if (value.isArray()) {
            return Optional.of(ARRAY);
        }
        return Optional.of(STRING);
    }

    /** Whether a value may be stored in a field of this type. Any string fits a string field. */
    public boolean accepts(JsonNode value) {
        Optional<FieldType> type = of(value);
        return type.isEmpty() || type.get() == this || (this == STRING && type.get() == DATE);
    }

    /**
     * The instant an ISO-8601 date text stands for: {@code 2026-01-31} (start of that day in {@code zone}),
     * {@code 2026-01-31T10:00:00Z}, {@code 2026-01-31 10:00:00 +00:00}.
     */
    public static Optional<java.time.Instant> parseDate(String text, ZoneId zone) {
        try {
            if (DATE_ONLY.matcher(text).matches()) {
                return Optional.of(LocalDate.parse(text).atStartOfDay(zone).toInstant());
            }
            if (DATE_TIME.matcher(text).matches()) {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            }
            if (ITERABLE_DATE_TIME.matcher(text).matches()) {
                return Optional.of(OffsetDateTime.parse(text, ITERABLE_FORMAT).toInstant());
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
