package dev.segmenta.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The bulk load into PostgreSQL: {@code COPY} into {@code users}, {@code list_members} and {@code events} with
 * their secondary indexes, unique and foreign-key constraints dropped, then rebuilt, then {@code VACUUM ANALYZE}.
 * Maintaining a B-tree per row costs far more than building it once from sorted input, and a foreign-key check
 * per row is one index probe of {@code users} per event.
 *
 * <p>What is dropped is read from the catalog ({@code pg_get_indexdef}, {@code pg_get_constraintdef}) just before,
 * and recreated from exactly those definitions, so whatever the Flyway migrations define (today and in later
 * versions) comes back. Primary keys stay (other tables' foreign keys reference them; the load is in key order),
 * and so do CHECK constraints (cheap, per row).
 */
final class BulkLoad {
    static final List<String> TABLES = List.of("users", "list_members", "events");
    private static final String TABLE_LIST = "('users'::regclass, 'list_members'::regclass, 'events'::regclass)";

    /** Seconds spent in each step. */
    static final class Timings {
        double copy;
        double copyEvents;
        double indexes;
        double rollup;
        double catalog;
        double vacuum;
    }

    private final Connection pg;

    BulkLoad(Connection pg) {
        this.pg = pg;
    }

    Timings run(Path csvDir) throws SQLException, IOException {
        Timings t = new Timings();
        List<String> recreate = new ArrayList<>();
        try (Statement s = pg.createStatement()) {
            for (String drop : dropIndexesAndConstraints(s, recreate)) {
                s.execute(drop);
            }
            // Statement-level triggers on events (a rollup maintained at ingest) would run once per COPY over the
            // whole transition table; the rollup is rebuilt once after the load instead (below).
            s.execute("ALTER TABLE events DISABLE TRIGGER USER");
        }
        CopyManager copy = pg.unwrap(PGConnection.class).getCopyAPI();
        long started = System.nanoTime();
        copy(copy, "COPY users (id, email, user_id, data_fields, signup_date, created_at, profile_updated_at, unsubscribed_channel_ids, "
                + "unsubscribed_message_type_ids, subscribed_message_type_ids) FROM STDIN (FORMAT csv)", csvDir.resolve("users.csv"));
        copy(copy, "COPY list_members (list_id, user_pk, added_at) FROM STDIN (FORMAT csv)", csvDir.resolve("list_members.csv"));
        long eventsStarted = System.nanoTime();
        // TRUNCATE in the same transaction lets COPY write the rows frozen, so the VACUUM after it need not
        // rewrite every page of the largest table to set hint bits and freeze.
        pg.setAutoCommit(false);
        try (Statement s = pg.createStatement()) {
            s.execute("TRUNCATE events");
        }
        copy(copy, "COPY events (id, user_pk, event_name, created_at, received_at, data_fields) FROM STDIN (FORMAT csv, FREEZE)",
                csvDir.resolve("events.csv"));
        pg.commit();
        pg.setAutoCommit(true);
        t.copyEvents = Bench.seconds(eventsStarted);
        t.copy = Bench.seconds(started);
        Bench.log(String.format(Locale.ROOT, "COPY in %.1f s (events %.1f s)", t.copy, t.copyEvents));

        started = System.nanoTime();
        try (Statement s = pg.createStatement()) {
            s.execute("SET maintenance_work_mem = '1GB'");
            for (String sql : recreate) {
                long one = System.nanoTime();
                s.execute(sql);
                Bench.log(String.format(Locale.ROOT, "%.1f s: %s", Bench.seconds(one), sql));
            }
            s.execute("RESET maintenance_work_mem");
        }
        t.indexes = Bench.seconds(started);
        try (Statement s = pg.createStatement()) {
            long one = System.nanoTime();
            s.execute("SELECT segmenta_rebuild_event_stats()");
            t.rollup = Bench.seconds(one);
            Bench.log(String.format(Locale.ROOT, "rollup user_event_stats rebuilt in %.1f s", t.rollup));
            s.execute("ALTER TABLE events ENABLE TRIGGER USER");
            s.execute("SELECT setval('users_id_seq', (SELECT max(id) FROM users)), setval('events_id_seq', (SELECT coalesce(max(id), 1) FROM events))");
            one = System.nanoTime();
            int paths = LoadedCatalog.fill(pg);
            t.catalog = Bench.seconds(one);
            Bench.log(String.format(Locale.ROOT, "field and event catalogs filled from the loaded rows in %.1f s (%d field paths)", t.catalog, paths));
            started = System.nanoTime();
            s.execute("VACUUM ANALYZE");
            t.vacuum = Bench.seconds(started);
        }
        Bench.log(String.format(Locale.ROOT, "indexes and constraints rebuilt in %.1f s, VACUUM ANALYZE %.1f s", t.indexes, t.vacuum));
        return t;
    }

    /**
     * Fills {@code recreate} with the statements that rebuild what the returned statements drop: plain indexes
     * first, then unique constraints, then foreign keys (which need the referenced keys' indexes).
     */
    private static List<String> dropIndexesAndConstraints(Statement s, List<String> recreate) throws SQLException {
        List<String> drops = new ArrayList<>();
        List<String> constraintDrops = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        // contype 'u' sorts after 'f': foreign keys are dropped first and recreated last.
        try (ResultSet rs = s.executeQuery("SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, "
                + "pg_get_constraintdef(c.oid)), format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) "
                + "FROM pg_constraint c WHERE c.conrelid IN " + TABLE_LIST + " AND (c.contype = 'f' OR (c.contype = 'u' "
                // a unique key that some foreign key references must stay
                + "AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid))) "
                + "ORDER BY c.contype, c.conrelid::regclass::text, c.conname")) {
            while (rs.next()) {
                constraints.add(0, rs.getString(1));
                constraintDrops.add(rs.getString(2));
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %s', i.indexrelid::regclass) "
                + "FROM pg_index i WHERE i.indrelid IN " + TABLE_LIST + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                + "WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) "
                + "ORDER BY i.indrelid::regclass::text, i.indexrelid::regclass::text")) {
            while (rs.next()) {
                recreate.add(rs.getString(1));
                drops.add(rs.getString(2));
            }
        }
        recreate.addAll(constraints);
        constraintDrops.addAll(drops);
        return constraintDrops;
    }

    private static void copy(CopyManager copy, String sql, Path file) throws IOException, SQLException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            copy.copyIn(sql, in, 1 << 16);
        }
    }
}
