package dev.segmenta.persistence.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.eval.Dates;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** The catalog type a JSON value gives a field, by the same date rule the evaluator reads values with. */
public final class FieldTypes {
    private FieldTypes() {}

    /** The type a JSON value gives a new field; empty for null, which fixes nothing. */
    public static Optional<FieldType> of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            // The zone does not change whether a text is a date, only which instant it is.
            return Optional.of(Dates.parse(value.textValue(), ZoneOffset.UTC).isPresent() ? FieldType.DATE : FieldType.STRING);
        }
        if (value.isNumber()) {
            return Optional.of(FieldType.NUMBER);
        }
        if (value.isBoolean()) {
            return Optional.of(FieldType.BOOLEAN);
        }
        if (value.isObject()) {
            return Optional.of(FieldType.OBJECT);
        }
        return Optional.of(value.isArray() ? FieldType.ARRAY : FieldType.STRING);
    }

    /** Whether a value may be stored in a field of {@code type}. Any string fits a string field. */
    public static boolean accepts(FieldType type, JsonNode value) {
        if (type == FieldType.STRING && value != null && value.isTextual()) {
            return true; // a date string too: no need to parse it
        }
        Optional<FieldType> actual = of(value);
        return actual.isEmpty() || actual.get() == type || (type == FieldType.STRING && actual.get() == FieldType.DATE);
    }

    public static FieldType fromLabel(String label) {
        return FieldType.valueOf(label.toUpperCase(Locale.ROOT));
    }
}
