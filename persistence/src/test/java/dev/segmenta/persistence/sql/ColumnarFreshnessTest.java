package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.SnapshotLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Two writers change profiles and events (with rollbacks and deletions) while previews run on a columnar replica
 * that only polls the change feed, as another instance on the same database does. Once writing stops and 1 s has
 * passed, the replica's count equals the SQL count for every rule of the suite.
 */
class ColumnarFreshnessTest {
    private static final List<String> SUITE = List.of(
            "s = \"x\"",
            "n > 1",
            "performed \"buy\"",
            "performed \"buy\" at least 2 times within last 30 days",
            "performed \"buy\" with sum(amount) >= 2",
            "not performed \"view\" within last 7 days",
            "last performed \"buy\" within last 1 day",
            "in list \"VIP\" or subscribed to channel \"Email\"",
            "addr.city = \"Paris\" and not performed \"buy\"",
            "tags contains \"a\" or flag is true");

    private static TestDatabase database;
    private static TestData data;
    private static Connection connection;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("columnar_freshness");
        connection = database.connect();
        data = TestData.generate(7L, 150, Map.of(), connection);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
    }

    @RepeatedTest(3)
    void afterWritesStop_withinOneSecond_columnarCountEqualsSqlCountForEveryRule() throws Exception {
        ROUNDS.incrementAndGet();
        ColumnarReplica replica = new ColumnarReplica(new TestDataSource(database), SnapshotLoader.reader(new ObjectMapper()), 50);
        replica.load();
        assertThat(replica.state()).as("load: %s", replica.failure()).isEqualTo(ColumnarReplica.State.LOADED);
        EvaluationContext context = new EvaluationContext(TestData.NOW, ZoneOffset.UTC, data.directory);
        List<Rule> suite = SUITE.stream().map(text -> RuleParser.parse(text).rule()).toList();

        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        List<Throwable> pollFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        poller.scheduleWithFixedDelay(() -> {
            try {
                replica.catchUp();
            } catch (RuntimeException e) {
                pollFailures.add(e); // as Engines does: log, and the next poll retries
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicLong previews = new AtomicLong();
        try {
            List<Future<Integer>> writers = List.of(pool.submit(() -> writeProfiles(1)), pool.submit(() -> writeEvents(2)));
            Future<?> reader = pool.submit(() -> {
                while (writing.get()) {
                    for (Rule rule : suite) {
                        replica.read(index -> index.evaluate(rule, context).getLongCardinality());
                        previews.incrementAndGet();
                    }
                }
                return null;
            });
            Thread.sleep(3000);
            writing.set(false);
            int writes = 0;
            for (Future<Integer> writer : writers) {
                writes += writer.get();
            }
            reader.get();
            assertThat(writes).as("writes while previews ran").isGreaterThan(50);
            assertThat(previews.get()).isPositive();

            Thread.sleep(1000);
            assertThat(pollFailures).isEmpty();
            for (int i = 0; i < suite.size(); i++) {
                Rule rule = suite.get(i);
                long columnar = replica.<Long>read(index -> index.evaluate(rule, context).getLongCardinality());
                long sql = sqlCount(rule, context);
                if (columnar != sql) {
                    replica.catchUp();
                    long after = replica.<Long>read(index -> index.evaluate(rule, context).getLongCardinality());
                    throw new AssertionError("columnar count of " + SUITE.get(i) + " is " + columnar + ", SQL " + sql
                            + "; after one more catch-up: " + after);
                }
            }
            long users = replica.<Long>read(index -> (long) index.size());
            assertThat(users).isEqualTo(sqlCount(RuleParser.parse("s = \"x\" or not s = \"x\"").rule(), context));
        } finally {
            writing.set(false);
            poller.shutdownNow();
            pool.shutdownNow();
        }
    }

    /** New users, profile updates, deletions of its own users; every fifth transaction rolled back. */
    private int writeProfiles(long seed) throws SQLException {
        Random random = new Random(seed);
        int writes = 0;
        List<Long> created = new ArrayList<>();
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            while (true) {
                int kind = random.nextInt(10);
                if (kind < 4) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, data_fields, signup_date, created_at, "
                            + "profile_updated_at) VALUES (?, ?::jsonb, ?, ?, ?) RETURNING id")) {
                        ps.setString(1, "writer" + seed + "-" + ROUNDS.get() + "-" + writes + "@example.com");
                        ps.setString(2, "{\"s\": \"" + (random.nextBoolean() ? "x" : "y") + "\", \"n\": " + random.nextInt(4)
                                + ", \"addr\": {\"city\": \"" + (random.nextBoolean() ? "Paris" : "Rome") + "\"}}");
                        java.sql.Timestamp t = java.sql.Timestamp.from(TestData.NOW.minusSeconds(random.nextInt(86_400 * 40)));
                        ps.setTimestamp(3, t);
                        ps.setTimestamp(4, t);
                        ps.setTimestamp(5, t);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            created.add(rs.getLong(1));
                        }
                    }
                } else if (kind < 9) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE users SET data_fields = data_fields || ?::jsonb, "
                            + "unsubscribed_channel_ids = ? WHERE id = ?")) {
                        ps.setString(1, "{\"s\": \"" + (random.nextBoolean() ? "x" : "X") + "\", \"flag\": " + random.nextBoolean() + "}");
                        ps.setArray(2, c.createArrayOf("bigint", random.nextBoolean() ? new Long[] {1L} : new Long[0]));
                        ps.setLong(3, randomUser(c, random));
                        ps.executeUpdate();
                    }
                } else if (!created.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
                        ps.setLong(1, created.remove(random.nextInt(created.size())));
                        ps.executeUpdate();
                    }
                }
                if (random.nextInt(5) == 0) {
                    c.rollback();
                } else {
                    c.commit();
                }
                writes++;
                if (!writing()) {
                    return writes;
                }
            }
        }
    }

    /** Events (some replacing an earlier one by event id) for random users; every fifth transaction rolled back. */
    private int writeEvents(long seed) throws SQLException {
        Random random = new Random(seed);
        int writes = 0;
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            while (true) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (user_pk, event_name, created_at, received_at, "
                        + "data_fields, event_id) VALUES (?, ?, ?, now(), ?::jsonb, ?) ON CONFLICT (event_id) WHERE event_id IS NOT NULL "
                        + "DO UPDATE SET user_pk = EXCLUDED.user_pk, created_at = EXCLUDED.created_at, data_fields = EXCLUDED.data_fields")) {
                    ps.setLong(1, randomUser(c, random));
                    ps.setString(2, random.nextInt(3) == 0 ? "view" : "buy");
                    ps.setTimestamp(3, java.sql.Timestamp.from(TestData.NOW.minusSeconds(random.nextInt(86_400 * 10))));
                    ps.setString(4, "{\"amount\": " + random.nextInt(3) + "}");
                    ps.setString(5, random.nextBoolean() ? "e" + random.nextInt(30) : null);
                    ps.executeUpdate();
                }
                if (random.nextInt(5) == 0) {
                    c.rollback();
                } else {
                    c.commit();
                }
                writes++;
                if (!writing()) {
                    return writes;
                }
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger ROUNDS = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean(true);

    private boolean writing() {
        return writing.get() && !Thread.currentThread().isInterrupted();
    }

    private static long randomUser(Connection c, Random random) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users ORDER BY id OFFSET ? LIMIT 1")) {
            ps.setInt(1, random.nextInt(100));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 1L;
            }
        }
    }

    private static long sqlCount(Rule rule, EvaluationContext context) throws SQLException {
        CompiledQuery count = new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE))
                .count(rule, new CompileContext(context.now(), context.projectZone(), context.directory()));
        try (PreparedStatement ps = count.prepare(connection); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
