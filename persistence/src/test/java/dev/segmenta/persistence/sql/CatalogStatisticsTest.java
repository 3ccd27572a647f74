package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.catalog.CatalogStatistics;
import dev.segmenta.persistence.catalog.SchemaLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalog's statistics are served stale while a refresh runs: with the refresh held on a gate, a schema load
 * answers at once from the previous statistics (a field newer than them has an unknown fill count, not 0), starts one
 * refresh however many loads ask, and shows the new counts once the refresh ran. Stored statistics are served after a
 * restart without waiting for a scan.
 */
class CatalogStatisticsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration QUICK = Duration.ofSeconds(5);

    private TestDatabase db;
    private TestDataSource dataSource;
    private MovableClock clock;
    private GatedExecutor refreshes;

    @BeforeEach
    void freshDatabase() {
        db = TestDatabase.fresh("catalog_statistics");
        dataSource = new TestDataSource(db);
        clock = new MovableClock(T0);
        refreshes = new GatedExecutor();
    }

    @AfterEach
    void stop() {
        refreshes.pool.shutdownNow();
    }

    @Test
    void load_servesTheLastStatisticsAtOnce_whileTheRefreshIsHeld_thenTheRefreshedOnes() throws Exception {
        user("ann", "{\"plan\": \"pro\"}");
        field("plan", "string");
        SchemaLoader schemas = new SchemaLoader(dataSource, new CatalogStatistics(dataSource, clock, refreshes));
        refreshes.open(1);
        Schema first = schemas.load(); // no statistics on this database yet: the first load waits for the scan
        assertThat(first.totalUsers()).hasValue(1);
        assertThat(fill(first, "plan")).hasValue(1);

        user("bob", "{\"plan\": \"team\", \"coupon\": \"X\"}");
        field("coupon", "string");
        clock.advance(Duration.ofMinutes(2)); // older than their minimum age, and a field they do not know
        int submitted = refreshes.submitted.get();

        Schema served = assertTimeoutPreemptively(QUICK, schemas::load, "a load must not wait for the held refresh");
        Schema again = assertTimeoutPreemptively(QUICK, schemas::load);

        assertThat(served.totalUsers()).as("the previous statistics").hasValue(1);
        assertThat(fill(served, "plan")).hasValue(1);
        assertThat(fill(served, "coupon")).as("newer than the statistics: unknown, never a wrong 0").isEmpty();
        assertThat(fill(again, "coupon")).isEmpty();
        assertThat(refreshes.submitted.get() - submitted).as("one refresh at a time, however many loads ask").isEqualTo(1);

        refreshes.open(1);
        Schema refreshed = loadUntil(schemas, s -> s.totalUsers().orElse(0) == 2);
        assertThat(fill(refreshed, "plan")).hasValue(2);
        assertThat(fill(refreshed, "coupon")).as("the new field's fill count appears after the refresh").hasValue(1);
        assertThat(fill(refreshed, "email")).hasValue(2);
    }

    @Test
    void fillCounts_walkObjectsAndObjectsInArrays_countingEachUserOncePerPath() throws Exception {
        user("u1", "{\"a\": {\"b\": 1, \"c\": {\"d\": \"\"}}, \"items\": [{\"name\": \"x\"}, {\"name\": \"y\"}, 2, [{\"deep\": 1}]],"
                + " \"t\": [\"s\"], \"e\": [], \"n\": null, \"s\": \"\"}");
        user("u2", "{\"a\": {\"b\": null}, \"items\": [{\"name\": \"\"}, {\"price\": 3}], \"a.b\": {\"z\": 1}}");
        user("u3", "{}");
        user("u4", "{\"o\": {}, \"arr\": [{}], \"x\": {\"y\": [{\"z\": {\"w\": true}}]}}");
        refreshes.open(1);

        java.util.Map<String, Long> counted = new CatalogStatistics(dataSource, clock, refreshes).refreshNow().usersWithField();

        java.util.Map<String, Long> expected = java.util.Map.ofEntries(java.util.Map.entry("a", 2L),
                // u1's nested a.b and u2's top-level key "a.b" name the same path: 2 users
                java.util.Map.entry("a.b", 2L), java.util.Map.entry("a.b.z", 1L), java.util.Map.entry("a.c", 1L),
                java.util.Map.entry("arr", 1L), java.util.Map.entry("items", 2L), java.util.Map.entry("items.name", 1L),
                java.util.Map.entry("items.price", 1L), java.util.Map.entry("o", 1L), java.util.Map.entry("t", 1L),
                java.util.Map.entry("x", 1L), java.util.Map.entry("x.y", 1L), java.util.Map.entry("x.y.z", 1L),
                java.util.Map.entry("x.y.z.w", 1L), java.util.Map.entry("email", 4L), java.util.Map.entry("userId", 4L));
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void aFieldSetOnNoUser_countsZero_onceTheStatisticsKnowIt() throws Exception {
        user("ann", "{\"plan\": \"pro\"}");
        field("plan", "string");
        field("legacy", "string");
        SchemaLoader schemas = new SchemaLoader(dataSource, new CatalogStatistics(dataSource, clock, refreshes));
        refreshes.open(1);

        assertThat(fill(schemas.load(), "legacy")).hasValue(0);
    }

    @Test
    void afterARestart_theStoredStatisticsAreServed_withoutWaitingForAScan() throws Exception {
        user("ann", "{\"plan\": \"pro\"}");
        field("plan", "string");
        refreshes.open(1);
        new CatalogStatistics(dataSource, clock, refreshes).refreshNow();
        user("bob", "{\"plan\": \"team\"}");

        GatedExecutor held = new GatedExecutor(); // never opened: a scan would wait for ever
        try {
            SchemaLoader restarted = new SchemaLoader(dataSource, new CatalogStatistics(dataSource, clock, held));
            Schema served = assertTimeoutPreemptively(QUICK, restarted::load);
            assertThat(served.totalUsers()).as("as stored by the previous instance").hasValue(1);
            assertThat(fill(served, "plan")).hasValue(1);
        } finally {
            held.pool.shutdownNow();
        }
    }

    @Test
    void refreshStats_countsEveryWriteCommittedBeforeIt() throws Exception {
        user("ann", "{\"plan\": \"pro\"}");
        field("plan", "string");
        SchemaLoader schemas = new SchemaLoader(dataSource, new CatalogStatistics(dataSource, clock, refreshes));
        refreshes.open(10);
        schemas.load();
        user("bob", "{\"plan\": \"team\"}");

        schemas.refreshStats();

        assertThat(fill(schemas.load(), "plan")).hasValue(2);
    }

    private static OptionalLong fill(Schema schema, String path) {
        return schema.usersWithField(FieldPath.parseDotted(path));
    }

    private static Schema loadUntil(SchemaLoader schemas, Predicate<Schema> done) throws InterruptedException {
        long deadline = System.nanoTime() + QUICK.toNanos();
        Schema s = schemas.load();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = schemas.load();
        }
        return s;
    }

    private void user(String userId, String dataFields) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, user_id, data_fields,"
                + " created_at, signup_date, profile_updated_at) VALUES (?, ?, ?::jsonb, now(), now(), now())")) {
            ps.setString(1, userId + "@example.com");
            ps.setString(2, userId);
            ps.setString(3, dataFields);
            ps.executeUpdate();
        }
    }

    private void field(String path, String type) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO field_catalog (scope, event_name, path,"
                + " type, first_seen, last_seen) VALUES ('user', '', ?, ?, now(), now())")) {
            ps.setString(1, path);
            ps.setString(2, type);
            ps.executeUpdate();
        }
    }

    /** Runs each task on one thread, once the test has opened the gate for it. */
    private static final class GatedExecutor implements Executor {
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        final Semaphore gate = new Semaphore(0);
        final AtomicInteger submitted = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            submitted.incrementAndGet();
            pool.execute(() -> {
                try {
                    gate.acquire();
                } catch (InterruptedException e) {
                    return; // shut down while held
                }
                task.run();
            });
        }

        void open(int tasks) {
            gate.release(tasks);
        }
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
