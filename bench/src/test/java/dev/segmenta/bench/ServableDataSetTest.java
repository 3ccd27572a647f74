package dev.segmenta.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.check.FieldType;
import dev.segmenta.persistence.catalog.FieldTypes;
import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk-loaded bench data set is one the product can serve: its catalogs are what ingestion would have made of the
 * same rows, and the packaged app started on it previews field and event-field rules through HTTP (the app's jar is
 * built by the web module, which the reactor builds before this one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServableDataSetTest {
    private static final Path APP_JAR = Path.of("../web/target/quarkus-app/quarkus-run.jar");

    @TempDir
    static Path dir;
    private EmbeddedPostgres server;
    private Connection c;

    @BeforeAll
    void load() throws Exception {
        server = EmbeddedPostgres.start(dir.resolve("pg"), 0, Bench.DATABASE);
        Flyway.configure().dataSource(server.jdbcUrl(), server.username(), "").locations("classpath:db/migration").load().migrate();
        c = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
        long[] listIds = new long[BenchData.listNames().size()];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lists (name, created_at) VALUES (?, now()) RETURNING id")) {
            for (int i = 0; i < listIds.length; i++) {
                ps.setString(1, BenchData.listNames().get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    listIds[i] = rs.getLong(1);
                }
            }
        }
        BenchData data = new BenchData(7, Bench.NOW, 8, 2, 6, listIds);
        Path csv = dir.resolve("csv");
        Files.createDirectories(csv);
        try (Writer users = Files.newBufferedWriter(csv.resolve("users.csv"));
                Writer events = Files.newBufferedWriter(csv.resolve("events.csv"));
                Writer members = Files.newBufferedWriter(csv.resolve("list_members.csv"))) {
            data.write(0, 300, users, events, members, new BenchData.Counts(), new long[] {1});
        }
        new BulkLoad(c).run(csv);
    }

    @AfterAll
    void stop() throws SQLException {
        if (c != null) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fieldCatalog_isWhatIngestionWouldHaveRecorded_pathByPathWithTypesAndTimes() throws Exception {
        // The oracle: FieldCatalog's walk (objects key by key, arrays element by element, null fixes nothing) with the
        // product's own FieldTypes, over every loaded row in Java.
        Map<String, String> expected = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        Map<String, TreeSet<String>> types = new TreeMap<>();
        Map<String, Timestamp[]> seen = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT 'user', '', data_fields::text, created_at, profile_updated_at FROM users "
                        + "UNION ALL SELECT 'event', event_name, data_fields::text, received_at, received_at FROM events")) {
            while (rs.next()) {
                String prefix = rs.getString(1) + "|" + rs.getString(2) + "|";
                walk(prefix, "", json.readTree(rs.getString(3)), types, seen, rs.getTimestamp(4), rs.getTimestamp(5));
            }
        }
        types.forEach((key, t) -> {
            String type = t.equals(new TreeSet<>(List.of("date", "string"))) ? "string" : t.first();
            assertEquals(1, t.equals(new TreeSet<>(List.of("date", "string"))) ? 1 : t.size(), key + " has one type: " + t);
            expected.put(key, type + "|" + seen.get(key)[0].toInstant() + "|" + seen.get(key)[1].toInstant());
        });
        Map<String, String> actual = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT scope, event_name, path, type, first_seen, last_seen FROM field_catalog")) {
            while (rs.next()) {
                actual.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                        rs.getString(4) + "|" + rs.getTimestamp(5).toInstant() + "|" + rs.getTimestamp(6).toInstant());
            }
        }
        assertEquals(expected, actual);
        // The data set has every kind the catalog knows, so the comparison above covers each of them.
        assertEquals(new TreeSet<>(List.of("array", "boolean", "date", "number", "object", "string")),
                new TreeSet<>(actual.values().stream().map(v -> v.substring(0, v.indexOf('|'))).toList()));
        assertTrue(actual.containsKey("event|purchase|items.name"), "a path below an array of objects");
        assertTrue(actual.containsKey("user||address.state"), "a path below an object");
        assertEquals(rowsOf("SELECT event_name || '|' || min(received_at) || '|' || max(received_at) FROM events GROUP BY event_name ORDER BY 1"),
                rowsOf("SELECT event_name || '|' || first_seen || '|' || last_seen FROM event_catalog ORDER BY 1"));
    }

    private static void walk(String prefix, String path, JsonNode node, Map<String, TreeSet<String>> types, Map<String, Timestamp[]> seen,
            Timestamp first, Timestamp last) {
        if (node == null || !node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String p = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            java.util.Optional<FieldType> type = FieldTypes.of(value);
            if (type.isPresent()) {
                types.computeIfAbsent(prefix + p, k -> new TreeSet<>()).add(type.get().label());
                Timestamp[] t = seen.computeIfAbsent(prefix + p, k -> new Timestamp[] {first, last});
                t[0] = first.before(t[0]) ? first : t[0];
                t[1] = last.after(t[1]) ? last : t[1];
            }
            if (value.isObject()) {
                walk(prefix, p, value, types, seen, first, last);
            } else if (value.isArray()) {
                for (JsonNode element : value) {
                    walk(prefix, p, element, types, seen, first, last);
                }
            }
        }
    }

    @Test
    void thePackagedAppServesTheLoadedData_previewsFieldRulesAndRotatingRulesThroughHttp() throws Exception {
        assertTrue(Files.isRegularFile(APP_JAR), APP_JAR.toAbsolutePath() + " is built by the web module before this test runs");
        try (App app = App.start(APP_JAR, server.jdbcUrl(), server.username(), "", Bench.NOW, "512m", dir.resolve("app.log"))) {
            PreviewTimings timings = new PreviewTimings(app, 1);
            PreviewTimings.Timed plan = timings.previewEditAndMembers("pro plan", "plan = \"pro\"");
            assertEquals(count("SELECT count(*) FROM users WHERE data_fields->>'plan' = 'pro'"), plan.count());
            assertTrue(plan.count() > 0, "some users are on the pro plan");
            PreviewTimings.Timed jacket = timings.preview("jacket", "performed \"purchase\" where item = \"jacket\" within last 90 days");
            assertEquals(count("SELECT count(DISTINCT user_pk) FROM events WHERE event_name = 'purchase' AND data_fields->>'item' = 'jacket' "
                    + "AND created_at > " + Bench.NOW_SQL + " - INTERVAL '90 days' AND created_at <= " + Bench.NOW_SQL), jacket.count());
            List<String> rotating = RotatingRules.generate(c, 42, 10);
            assertEquals(10, rotating.size());
            assertEquals(rotating, RotatingRules.generate(c, 42, 10), "the same seed and data give the same rules");
            assertNotEquals(rotating, RotatingRules.generate(c, 43, 10), "another seed, other rules");
            assertNotEquals(RotatingRules.versionSeed("0.1.0"), RotatingRules.versionSeed("0.2.0"), "each release its own seed");
            for (String dsl : rotating) {
                assertFalse(dsl.isBlank());
                timings.preview("rotating", dsl); // a 400 (unknown field, bad operator for the type) throws
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> rowsOf(String sql) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        assertFalse(out.isEmpty(), sql);
        return out;
    }
}
