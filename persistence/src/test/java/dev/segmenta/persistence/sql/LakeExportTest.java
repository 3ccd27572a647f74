package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.lake.LakeExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake export's staged JSON lines (written by PostgreSQL through COPY) hold exactly what the database holds, field
 * by field, against an oracle that reads the same rows over JDBC the plain way: the full snapshot, then an incremental
 * batch with a changed profile, a new event, a new list membership and a deleted user.
 */
class LakeExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase database;
    private static Connection connection;

    @TempDir
    Path lake;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("lake_export");
        connection = database.connect();
        TestData.generate(11L, 120, Map.of(), connection);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
    }

    @Test
    void stagedRowsAreTheDatabasesRows_inTheSnapshotAndInAnIncrementalBatch_withDeletions() throws Exception {
        LakeExport export = new LakeExport(lake, JSON, Duration.ofDays(1));
        Instant now = TestData.NOW;
        connection.setAutoCommit(true);

        LakeExport.Staged first = export.stageNext(connection, now);
        assertThat(first.snapshot()).isTrue();
        Path batch1 = lake.resolve("_staging").resolve(String.format("%010d", first.batch()));
        assertThat(batch1.resolve("_READY")).exists();
        Map<Long, JsonNode> users = byKey(batch1.resolve("users.jsonl"), "user_pk");
        assertThat(users).hasSize(first.users()).isEqualTo(expectedUsers(null));
        assertThat(byKey(batch1.resolve("events.jsonl"), "event_pk")).isNotEmpty().isEqualTo(expectedEvents(null));

        long changedPk;
        long deletedPk;
        try (Statement s = connection.createStatement()) {
            List<Long> pks = longs(s, "SELECT id FROM users ORDER BY id LIMIT 3");
            changedPk = pks.get(0);
            deletedPk = pks.get(1);
            s.executeUpdate("UPDATE users SET data_fields = data_fields || '{\"tier\": \"gold\", \"n\": 1e+30, \"s\": \"a\\\\\\\"b\\nc\\u0001\"}'"
                    + " WHERE id = " + changedPk);
            s.executeUpdate("INSERT INTO events (user_pk, event_name, created_at, received_at, data_fields) VALUES (" + pks.get(2)
                    + ", 'new \"event\"', '2026-01-02 03:04:05.123456+00', now(), '{\"k\": [1, {\"x\": null}]}')");
            s.executeUpdate("INSERT INTO list_members (list_id, user_pk, added_at) SELECT min(id), " + pks.get(2) + ", now() FROM lists"
                    + " ON CONFLICT DO NOTHING");
            s.executeUpdate("DELETE FROM users WHERE id = " + deletedPk);
        }

        LakeExport.Staged second = export.stageNext(connection, now);
        assertThat(second.snapshot()).isFalse();
        assertThat(second.batch()).isEqualTo(first.batch() + 1);
        Path batch2 = lake.resolve("_staging").resolve(String.format("%010d", second.batch()));
        Map<Long, JsonNode> changed = byKey(batch2.resolve("users.jsonl"), "user_pk");
        assertThat(changed).containsKeys(changedPk, deletedPk);
        assertThat(changed.get(deletedPk)).isEqualTo(reparsed(JSON.createObjectNode().put("user_pk", deletedPk).put("deleted", true)));
        assertThat(changed.get(changedPk).get("data").asText()).contains("gold");
        Long[] live = changed.keySet().stream().filter(pk -> pk != deletedPk).toArray(Long[]::new);
        Map<Long, JsonNode> expected = expectedUsers(live);
        changed.remove(deletedPk);
        assertThat(changed).isEqualTo(expected);
        assertThat(byKey(batch2.resolve("events.jsonl"), "event_pk")).isEqualTo(expectedEvents(live));
        assertThat(export.stageNext(connection, now).batch()).as("nothing changed since").isZero();
    }

    private static List<Long> longs(Statement s, String sql) throws SQLException {
        List<Long> out = new java.util.ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static Map<Long, JsonNode> byKey(Path file, String key) throws IOException {
        Map<Long, JsonNode> rows = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                JsonNode row = JSON.readTree(line);
                assertThat(rows.put(row.get(key).asLong(), row)).as("one row per " + key).isNull();
            }
        }
        return rows;
    }

    /** The oracle: every column read over JDBC and turned into the documented lake row (docs/spark.md "Layout"). */
    private static Map<Long, JsonNode> expectedUsers(Long[] only) throws SQLException {
        Map<Long, JsonNode> rows = new TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, email, user_id, signup_date, profile_updated_at, "
                + "data_fields::text, unsubscribed_channel_ids, unsubscribed_message_type_ids, subscribed_message_type_ids, "
                + "ARRAY(SELECT list_id FROM list_members m WHERE m.user_pk = u.id ORDER BY list_id) FROM users u"
                + (only == null ? "" : " WHERE id = ANY (?)"))) {
            if (only != null) {
                ps.setArray(1, connection.createArrayOf("bigint", only));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode row = JSON.createObjectNode();
                    row.put("user_pk", rs.getLong(1));
                    row.put("deleted", false);
                    row.put("email", rs.getString(2));
                    row.put("user_id", rs.getString(3));
                    row.put("signup_us", micros(rs.getTimestamp(4)));
                    row.put("updated_us", micros(rs.getTimestamp(5)));
                    row.put("data", rs.getString(6));
                    row.set("unsubscribed_channel_ids", longs(rs.getArray(7)));
                    row.set("unsubscribed_message_type_ids", longs(rs.getArray(8)));
                    row.set("subscribed_message_type_ids", longs(rs.getArray(9)));
                    row.set("list_ids", longs(rs.getArray(10)));
                    rows.put(rs.getLong(1), reparsed(row));
                }
            }
        }
        return rows;
    }

    private static Map<Long, JsonNode> expectedEvents(Long[] only) throws SQLException {
        Map<Long, JsonNode> rows = new TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, user_pk, event_name, created_at, data_fields::text FROM events"
                + (only == null ? "" : " WHERE user_pk = ANY (?)"))) {
            if (only != null) {
                ps.setArray(1, connection.createArrayOf("bigint", only));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode row = JSON.createObjectNode();
                    row.put("event_pk", rs.getLong(1));
                    row.put("user_pk", rs.getLong(2));
                    row.put("event_name", rs.getString(3));
                    row.put("at_us", micros(rs.getTimestamp(4)));
                    row.put("data", rs.getString(5));
                    rows.put(rs.getLong(1), reparsed(row));
                }
            }
        }
        return rows;
    }

    /** As parsed from text, so that numbers compare by value (a parsed 7 is an int node, a put 7L a long node). */
    private static JsonNode reparsed(JsonNode node) {
        try {
            return JSON.readTree(JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long micros(Timestamp t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant());
    }

    private static ArrayNode longs(Array array) throws SQLException {
        ArrayNode out = JSON.createArrayNode();
        Arrays.stream((Object[]) array.getArray()).forEach(o -> out.add(((Number) o).longValue()));
        return out;
    }
}
