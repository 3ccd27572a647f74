package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * segmenta_jsonb_merge as V200 defines it (inlinable, the deep merge in its own function) gives what V1's definition gave
 * for every argument, and the shallow merge is inlined into the statement that calls it.
 */
class JsonbMergeFunctionTest {
    /** V1's definition, word for word, as a temporary function (its recursive call renamed). */
    private static final String V1_MERGE = """
            CREATE FUNCTION pg_temp.v1_merge(a jsonb, b jsonb, deep boolean) RETURNS jsonb
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT CASE
                    WHEN NOT deep OR a IS NULL OR jsonb_typeof(a) <> 'object' OR jsonb_typeof(b) <> 'object' THEN coalesce(a, '{}'::jsonb) || b
                    ELSE (
                        SELECT coalesce(jsonb_object_agg(k,
                            CASE WHEN a ? k AND b ? k AND jsonb_typeof(a -> k) = 'object' AND jsonb_typeof(b -> k) = 'object'
                                 THEN pg_temp.v1_merge(a -> k, b -> k, true)
                                 WHEN b ? k THEN b -> k
                                 ELSE a -> k END), '{}'::jsonb)
                        FROM (SELECT jsonb_object_keys(a) AS k UNION SELECT jsonb_object_keys(b)) keys
                    )
                END
            $$""";

    private static TestDatabase database;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.fresh("jsonb_merge");
    }

    @Test
    void merge_equalsV1sDefinition_forEveryKindOfDocument() throws SQLException {
        List<String> documents = new ArrayList<>(List.of("{}", "[]", "null", "1", "\"x\"", "[1, {\"a\": 1}]",
                "{\"a\": 1}", "{\"a\": null}", "{\"a\": {}}", "{\"a\": {\"b\": 1, \"c\": {\"d\": [1, 2]}}}",
                "{\"a\": {\"b\": {\"c\": 1}}, \"x\": \"y\"}", "{\"a\": [1, 2], \"b\": {\"c\": null}}"));
        Random random = new Random(20261130);
        for (int i = 0; i < 60; i++) {
            documents.add(randomObject(random, 3));
        }
        try (Connection c = database.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute(V1_MERGE);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT segmenta_jsonb_merge(a, b, d) IS NOT DISTINCT FROM pg_temp.v1_merge(a, b, d), "
                    + "segmenta_jsonb_merge(a, b, d)::text, pg_temp.v1_merge(a, b, d)::text "
                    + "FROM (VALUES (?::jsonb, ?::jsonb)) AS v(a, b) CROSS JOIN (VALUES (true), (false), (NULL::boolean)) AS m(d)")) {
                int compared = 0;
                for (String a : withNull(documents)) {
                    for (String b : withNull(documents)) {
                        ps.setString(1, a);
                        ps.setString(2, b);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                assertThat(rs.getBoolean(1)).as("merge(" + a + ", " + b + "): " + rs.getString(2) + " vs V1's " + rs.getString(3))
                                        .isTrue();
                                compared++;
                            }
                        }
                    }
                }
                assertThat(compared).isEqualTo(3 * (documents.size() + 1) * (documents.size() + 1));
            }
        }
    }

    /** What the import relies on to send a shallow merge: without an object among b's values, deep and shallow agree. */
    @Test
    void deepMerge_equalsShallowMerge_whenNoValueOfTheUpdateIsAnObject() throws SQLException {
        Random random = new Random(7);
        try (Connection c = database.connect();
                PreparedStatement ps = c.prepareStatement("SELECT segmenta_jsonb_merge(?::jsonb, ?::jsonb, true) = segmenta_jsonb_merge(?::jsonb, ?::jsonb, false)")) {
            for (int i = 0; i < 200; i++) {
                String a = randomObject(random, 3);
                String b = randomObject(random, 0);
                ps.setString(1, a);
                ps.setString(2, b);
                ps.setString(3, a);
                ps.setString(4, b);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as(a + " <- " + b).isTrue();
                }
            }
        }
    }

    /** The shallow merge is one expression in the calling statement, not a call of the function (V1's could not be inlined). */
    @Test
    void shallowMerge_isInlinedIntoTheCallingStatement() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE docs (a jsonb, b jsonb, deep boolean)");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN (VERBOSE, COSTS OFF) SELECT segmenta_jsonb_merge(a, b, deep) FROM docs")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("||").contains("segmenta_jsonb_deep_merge").doesNotContain("segmenta_jsonb_merge(");
        }
    }

    private static List<String> withNull(List<String> documents) {
        List<String> out = new ArrayList<>(documents);
        out.add(null);
        return out;
    }

    /** A JSON object of up to four keys from a small alphabet (so that two documents share keys); objects nest up to {@code depth}. */
    private static String randomObject(Random random, int depth) {
        StringBuilder out = new StringBuilder("{");
        int keys = random.nextInt(5);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String key = String.valueOf((char) ('a' + random.nextInt(4)));
            if (used.contains(key)) {
                continue;
            }
            used.add(key);
            out.append(used.size() > 1 ? ", " : "").append('"').append(key).append("\": ");
            int kind = random.nextInt(depth > 0 ? 6 : 5);
            out.append(switch (kind) {
                case 0 -> Integer.toString(random.nextInt(10));
                case 1 -> "\"s" + random.nextInt(3) + "\"";
                case 2 -> "null";
                case 3 -> "[" + random.nextInt(3) + ", {\"a\": 1}]";
                case 4 -> random.nextBoolean() ? "true" : "false";
                default -> randomObject(random, depth - 1);
            });
        }
        return out.append('}').toString();
    }
}
