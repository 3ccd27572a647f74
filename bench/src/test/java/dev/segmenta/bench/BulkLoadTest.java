package dev.segmenta.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk load drops indexes and constraints for the COPY; afterwards the schema must be what the migrations made. */
class BulkLoadTest {
    @TempDir
    Path dir;

    @Test
    void afterTheLoadIndexesConstraintsAndTriggersAreAsBefore_andTheRollupIsExact() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(dir.resolve("pg"), 0, "bulk_load_test")) {
            Flyway.configure().dataSource(server.jdbcUrl(), server.username(), "").locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), "")) {
                List<String> before = schema(c);
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
                BenchData data = new BenchData(1, Bench.NOW, 5, 1, 2, listIds);
                try (Writer users = Files.newBufferedWriter(dir.resolve("users.csv"));
                        Writer events = Files.newBufferedWriter(dir.resolve("events.csv"));
                        Writer members = Files.newBufferedWriter(dir.resolve("list_members.csv"))) {
                    data.write(0, 200, users, events, members, new BenchData.Counts(), new long[] {1});
                }

                BulkLoad.Timings timings = new BulkLoad(c).run(dir);

                assertEquals(before, schema(c));
                assertFalse(Double.isNaN(timings.rollup), "segmenta_rebuild_event_stats() was timed");
                // The rollup (V8) is exact after the load: its triggers were off during COPY, the rebuild made it.
                assertEquals(rows(c, "SELECT event_name, user_pk, count(*), min(created_at), max(created_at) FROM events GROUP BY 1, 2 ORDER BY 1, 2"),
                        rows(c, "SELECT event_name, user_pk, event_count, first_at, last_at FROM user_event_stats ORDER BY 1, 2"));
                assertTrue(c.getAutoCommit());
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
                    rs.next();
                    assertTrue(rs.getLong(1) > 200);
                }
                assertTrue(before.stream().anyMatch(d -> d.contains("events_user_name_time")), "the schema read is not empty");
            }
        }
    }

    private static List<String> rows(Connection c, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getLong(3) + "|" + rs.getString(4) + "|" + rs.getString(5));
            }
        }
        assertFalse(out.isEmpty(), query);
        return out;
    }

    /** Index and constraint definitions and trigger states of the loaded tables, sorted. */
    private static List<String> schema(Connection c) throws SQLException {
        List<String> defs = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT indexdef FROM pg_indexes WHERE tablename IN ('users', 'list_members', 'events') "
                        + "UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                        + "WHERE conrelid IN ('users'::regclass, 'list_members'::regclass, 'events'::regclass) "
                        + "UNION ALL SELECT tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger "
                        + "WHERE NOT tgisinternal AND tgrelid IN ('users'::regclass, 'list_members'::regclass, 'events'::regclass) "
                        + "ORDER BY 1")) {
            while (rs.next()) {
                defs.add(rs.getString(1));
            }
        }
        return defs;
    }
}
