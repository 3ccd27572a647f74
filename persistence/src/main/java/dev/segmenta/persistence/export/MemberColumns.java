package dev.segmenta.persistence.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.catalog.SchemaLoader;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chosen profile fields of users, as text: the extra columns of the preview's sample and of a members CSV export.
 * A field is named by its dotted path in the catalog ({@code plan}, {@code address.city}) or a system field
 * ({@code email}, {@code userId}, {@code signupDate}, {@code profileUpdatedAt}). A path that passes through an array
 * gives every element's value, joined by {@code "; "}; an object or array value is its JSON text; a missing value
 * is the empty string.
 */
@ApplicationScoped
public class MemberColumns {
    public static final int MAX_COLUMNS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaLoader schemas;
    private final AgroalDataSource dataSource;

    public MemberColumns(SchemaLoader schemas, AgroalDataSource dataSource) {
        this.schemas = schemas;
        this.dataSource = dataSource;
    }

    /**
     * The fields named in {@code names} (each may hold several, comma-separated), in order, without repeats. Refuses,
     * naming it, a field the catalog does not know, and more than {@value #MAX_COLUMNS} fields.
     */
    public List<FieldPath> resolve(List<String> names) {
        Set<String> wanted = new LinkedHashSet<>();
        if (names != null) {
            for (String name : names) {
                if (name == null) {
                    continue;
                }
                Arrays.stream(name.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(wanted::add);
            }
        }
        if (wanted.size() > MAX_COLUMNS) {
            throw SegmentaException.badParams("fields", "at most " + MAX_COLUMNS + " fields can be added as columns, got " + wanted.size());
        }
        if (wanted.isEmpty()) {
            return List.of();
        }
        Schema schema = schemas.load();
        List<FieldPath> out = new ArrayList<>();
        for (String name : wanted) {
            FieldPath path;
            try {
                path = FieldPath.parseDotted(name);
            } catch (IllegalArgumentException e) {
                throw SegmentaException.badParams("fields", "'" + name + "' is not a field name");
            }
            if (schema.userField(path).isEmpty()) {
                throw SegmentaException.badParams("fields", "unknown user field '" + name + "'");
            }
            out.add(path);
        }
        return List.copyOf(out);
    }

    /** Each user's values of {@code fields}, in the order of {@code fields}; users not found are left out. */
    public Map<Long, List<String>> values(long[] pks, List<FieldPath> fields) {
        if (pks.length == 0 || fields.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return values(c, pks, fields);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read member fields", e);
        }
    }

    public Map<Long, List<String>> values(Connection c, long[] pks, List<FieldPath> fields) throws SQLException {
        Map<Long, List<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, email, user_id, signup_date, profile_updated_at, data_fields::text FROM users WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", Arrays.stream(pks).boxed().toArray(Long[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode data = parse(rs.getString(6));
                    List<String> row = new ArrayList<>(fields.size());
                    for (FieldPath field : fields) {
                        row.add(field.isSystemField() ? system(field.steps().get(0), rs) : text(data, field.steps(), 0));
                    }
                    out.put(rs.getLong(1), row);
                }
            }
        }
        return out;
    }

    private static String system(String name, ResultSet rs) throws SQLException {
        return switch (name) {
            case "email" -> nullToEmpty(rs.getString(2));
            case "userId" -> nullToEmpty(rs.getString(3));
            case "signupDate" -> instant(rs.getTimestamp(4));
            default -> instant(rs.getTimestamp(5));
        };
    }

    private static String instant(Timestamp t) {
        return t == null ? "" : t.toInstant().toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (IOException e) {
            throw new IllegalStateException("stored data fields are not JSON", e);
        }
    }

    /** The value at {@code steps[from..]}; an array gives every element's, joined by "; ". */
    static String text(JsonNode node, List<String> steps, int from) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(element -> {
                String t = text(element, steps, from);
                if (!t.isEmpty()) {
                    parts.add(t);
                }
            });
            return String.join("; ", parts);
        }
        if (from == steps.size()) {
            return node.isValueNode() ? node.asText() : node.toString();
        }
        return node.isObject() ? text(node.get(steps.get(from)), steps, from + 1) : "";
    }
}
