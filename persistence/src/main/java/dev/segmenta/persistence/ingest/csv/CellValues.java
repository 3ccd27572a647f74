package dev.segmenta.persistence.ingest.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.segmenta.core.check.FieldType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a CSV cell as a JSON value. When the field is already in the catalog its type decides (a "02134" zip
 * code stays a string in a string field); for a new field the cell's text does: {@code 42}, {@code -3.5} →
 * number; {@code true}/{@code false} → boolean; {@code [..]} holding a JSON array → array; anything else,
 * ISO dates included, → string (the catalog makes date strings a {@code date} field). An empty cell is
 * {@code null}: the field is not set. Numbers with leading zeros stay strings (zip codes, phone numbers).
 */
final class CellValues {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CellValues() {}

    static JsonNode read(String cell, FieldType known) {
        if (cell == null || cell.isEmpty()) {
            return null;
        }
        if (known == FieldType.STRING || known == FieldType.DATE) {
            return TextNode.valueOf(cell);
        }
        String trimmed = cell.trim();
        if (INTEGER.matcher(trimmed).matches()) {
            return LongNode.valueOf(Long.parseLong(trimmed));
        }
        if (DECIMAL.matcher(trimmed).matches()) {
            return DecimalNode.valueOf(new BigDecimal(trimmed));
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return BooleanNode.valueOf(lower.equals("true"));
        }
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            try {
                JsonNode array = JSON.readTree(trimmed);
                if (array != null && array.isArray()) {
                    return array;
                }
            } catch (IOException notJson) {
                // An ordinary string that happens to be bracketed.
            }
        }
        return TextNode.valueOf(cell);
    }
}
