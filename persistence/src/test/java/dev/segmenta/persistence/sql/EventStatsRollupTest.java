package dev.segmenta.persistence.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rollup user_event_stats (V8) equals the aggregate of events after every kind of write: multi-row inserts,
 * replacement by event id (moving an event to another user, name or time), deletes, user deletion cascading to
 * events, truncate, rebuild — and under concurrent writers to the same keys.
 */
class EventStatsRollupTest {
    private static final String[] NAMES = {"purchase", "login", "pageView"};
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static TestDatabase db;
    private static Connection c;
    private static final List<Long> users = new ArrayList<>();

    @BeforeAll
    static void start() throws SQLException {
        db = TestDatabase.fresh("event_stats_rollup");
        c = db.connect();
        for (int i = 0; i < 6; i++) {
            users.add(newUser(c, "u" + i));
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        c.close();
    }

    private static long newUser(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (user_id, created_at, signup_date, profile_updated_at) "
                + "VALUES (?, now(), now(), now()) RETURNING id")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void randomWritesKeepTheRollupExact() throws SQLException {
        Random random = new Random(7);
        for (int step = 0; step < 400; step++) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                insertBatch(c, random, 1 + random.nextInt(6), random.nextInt(3) == 0);
            } else if (kind < 8) {
                // Replacement by id, as trackBulk does: ON CONFLICT (event_id) DO UPDATE, several rows at once.
                insertBatch(c, random, 1 + random.nextInt(4), true);
            } else if (kind == 8) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY random() LIMIT 3)");
                }
            } else if (random.nextInt(8) == 0) {
                long victim = users.remove(random.nextInt(users.size()));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM users WHERE id = " + victim);
                }
                users.add(newUser(c, "n" + step));
            } else {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE events SET created_at = created_at - interval '1 day' WHERE id IN "
                            + "(SELECT id FROM events ORDER BY random() LIMIT 2)");
                }
            }
            assertRollupExact("after step " + step + " (kind " + kind + ")");
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE events DISABLE TRIGGER USER");
            s.executeUpdate("DELETE FROM events WHERE id % 2 = 0");
            s.execute("ALTER TABLE events ENABLE TRIGGER USER");
            s.execute("SELECT segmenta_rebuild_event_stats()");
        }
        assertRollupExact("after a rebuild");
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE events");
        }
        assertRollupExact("after truncate");
    }

    @Test
    void concurrentInsertsAndReplacementsOfTheSameKeysLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                Callable<Void> writer = () -> {
                    try (Connection own = db.connect()) {
                        own.setAutoCommit(false);
                        for (int i = 0; i < 60; i++) {
                            // Two writers replaying the same ids may deadlock on the unique index: the loser's
                            // transaction is rolled back and the same batch (same seed) is written again.
                            for (int attempt = 1; ; attempt++) {
                                Random random = new Random(100_000L * seed + i);
                                try {
                                    insertBatch(own, random, 1 + random.nextInt(5), seed != 0);
                                    if (random.nextInt(4) == 0) {
                                        try (Statement s = own.createStatement()) {
                                            s.executeUpdate("DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY random() LIMIT 1)");
                                        }
                                    }
                                    own.commit();
                                    committed.incrementAndGet();
                                    break;
                                } catch (SQLException e) {
                                    own.rollback();
                                    if (!"40P01".equals(e.getSQLState()) || attempt == 20) {
                                        throw e;
                                    }
                                    retried.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                };
                done.add(pool.submit(writer));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(180, committed.get(), "every writer's 60 transactions committed (" + retried.get() + " retried after a deadlock)");
        assertRollupExact("after concurrent writers");
    }

    /** Rows go in sorted by event id, as IngestionService writes them, so replays take index locks in order. */
    private static void insertBatch(Connection c, Random random, int rows, boolean withIds) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ids.add(withIds ? "id-" + random.nextInt(40) : null);
        }
        List<String> unique = new ArrayList<>();
        for (String id : ids) {
            if (id == null || !unique.contains(id)) {
                unique.add(id);
            }
        }
        unique.sort(java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));
        StringBuilder sql = new StringBuilder("INSERT INTO events (user_pk, event_name, created_at, received_at, event_id) VALUES ");
        for (int i = 0; i < unique.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, now(), ?)");
        }
        sql.append(" ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO UPDATE SET user_pk = EXCLUDED.user_pk, "
                + "event_name = EXCLUDED.event_name, created_at = EXCLUDED.created_at");
        List<Long> known;
        synchronized (users) {
            known = List.copyOf(users);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (String id : unique) {
                ps.setLong(p++, known.get(random.nextInt(known.size())));
                ps.setString(p++, NAMES[random.nextInt(NAMES.length)]);
                ps.setObject(p++, T0.plusSeconds(3600L * random.nextInt(200)).atOffset(ZoneOffset.UTC));
                ps.setString(p++, id);
            }
            ps.executeUpdate();
        }
    }

    private static void assertRollupExact(String when) throws SQLException {
        assertEquals(rows("SELECT event_name, user_pk, count(*), min(created_at), max(created_at) FROM events "
                + "GROUP BY 1, 2 ORDER BY 1, 2"),
                rows("SELECT event_name, user_pk, event_count, first_at, last_at FROM user_event_stats ORDER BY 1, 2"), when);
    }

    private static List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getLong(3) + "|" + rs.getString(4) + "|" + rs.getString(5));
            }
        }
        return out;
    }
}
