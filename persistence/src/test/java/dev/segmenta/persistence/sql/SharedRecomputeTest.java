package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.segment.MembershipComputation;
import dev.segmenta.persistence.segment.MembershipComputation.Target;
import dev.segmenta.persistence.segment.MembershipStore;
import dev.segmenta.persistence.view.SegmentViews;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared recompute ({@link MembershipComputation#runShared}) writes exactly what one computation per segment
 * ({@link MembershipComputation#run}) writes — membership, change log, size history — for random rules over random
 * data, as time passes and data changes; and a failing segment fails its whole shared pass, leaving nothing written.
 */
class SharedRecomputeTest {
    private static final int USERS = 300;
    private static final int RULES = 24;
    private static final Map<String, Rule> SEGMENTS = Map.of("S1", new Not(new dev.segmenta.core.ast.ListRule("VIP")));

    private static final MembershipComputation COMPUTATION = new MembershipComputation(
            new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE)));

    private static Connection connection;
    private static TestData data;

    @BeforeAll
    static void start() throws SQLException {
        connection = TestDatabase.fresh("shared_recompute").connect();
        data = TestData.generate(20261128L, USERS, SEGMENTS, connection);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void sharedPass_writesWhatOnePerSegmentWrites_asTimePassesAndDataChanges() throws SQLException {
        Random random = new Random(7);
        List<Rule> rules = new ArrayList<>();
        net.jqwik.api.sessions.JqwikSession.start(); // generators outside a property need a session
        try {
            net.jqwik.api.RandomGenerator<Rule> generator = dev.segmenta.core.testing.RandomRules.rules(3).generator(1000);
            for (int i = 0; i < RULES - 1; i++) {
                rules.add(generator.next(random).value());
            }
        } finally {
            net.jqwik.api.sessions.JqwikSession.finish();
        }
        rules.add(new SegmentRule("S1"));
        List<Target> alone = targets("alone", rules);
        List<Target> shared = targets("shared", rules);
        ZoneId zone = TestData.NEW_YORK;
        Instant[] times = {TestData.NOW.minus(Duration.ofDays(40)), TestData.NOW.minus(Duration.ofDays(3)), TestData.NOW, TestData.NOW};
        for (int round = 0; round < times.length; round++) {
            if (round == 3) {
                update("DELETE FROM events WHERE id % 3 = 0");
                update("UPDATE users SET data_fields = '{}'::jsonb WHERE id % 4 = 0");
            }
            CompileContext context = new CompileContext(times[round], zone, data.directory);
            connection.setAutoCommit(false);
            for (Target t : alone) {
                COMPUTATION.run(connection, t, context, "time", times[round]);
            }
            connection.commit();
            // Batches of unequal sizes, one of a single segment.
            Map<Long, SegmentViews.Computation> computed = new java.util.HashMap<>();
            for (List<Target> batch : List.of(shared.subList(0, 10), shared.subList(10, 11), shared.subList(11, RULES))) {
                computed.putAll(COMPUTATION.runShared(connection, batch, context, "time", times[round]));
            }
            connection.commit();
            connection.setAutoCommit(true);
            for (int i = 0; i < RULES; i++) {
                long a = alone.get(i).segmentId();
                long s = shared.get(i).segmentId();
                String rule = "rule " + i + " in round " + round + ": " + dev.segmenta.core.text.RulePrinter.print(rules.get(i));
                assertThat(rows("SELECT user_pk, since FROM segment_members WHERE segment_id = ? ORDER BY user_pk", s)).as(rule)
                        .isEqualTo(rows("SELECT user_pk, since FROM segment_members WHERE segment_id = ? ORDER BY user_pk", a));
                assertThat(rows("SELECT user_pk, at, change, cause FROM segment_changes WHERE segment_id = ? ORDER BY at, user_pk", s))
                        .as(rule).isEqualTo(rows("SELECT user_pk, at, change, cause FROM segment_changes WHERE segment_id = ? "
                                + "ORDER BY at, user_pk", a));
                String history = "SELECT at, size, entered, exited, cause, version FROM segment_size_history WHERE segment_id = ? ORDER BY id";
                assertThat(rows(history, s)).as(rule).isEqualTo(rows(history, a));
                assertThat(rows("SELECT size, last_computed_at, last_error FROM segments WHERE id = ?", s)).as(rule)
                        .isEqualTo(rows("SELECT size, last_computed_at, last_error FROM segments WHERE id = ?", a));
                SegmentViews.Computation c = computed.get(s);
                assertThat(List.of(c.size(), c.entered(), c.exited())).as(rule).isEqualTo(rows(
                        "SELECT size, entered, exited FROM segment_size_history WHERE segment_id = ? ORDER BY id DESC LIMIT 1", a).get(0));
            }
        }
        // The data set moves people in and out of every kind of segment, or the comparison proves little.
        assertThat(rows("SELECT count(*) FROM segment_changes WHERE change = 'exited'").get(0).get(0)).isNotEqualTo(0L);
        assertThat(rows("SELECT count(*) FROM segment_changes WHERE change = 'entered'").get(0).get(0)).isNotEqualTo(0L);
    }

    @Test
    void failingSegment_failsItsSharedPass_andNothingOfThePassIsWritten() throws SQLException {
        List<Target> batch = targets("failing", List.of(new Not(new dev.segmenta.core.ast.ListRule("VIP")),
                new dev.segmenta.core.ast.ListRule("VIP"), new SegmentRule("S1")));
        long failing = batch.get(1).segmentId();
        update("CREATE FUNCTION fail_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.segment_id = " + failing + " THEN RAISE EXCEPTION 'segment % failed', NEW.segment_id; END IF; RETURN NEW; END $$");
        update("CREATE TRIGGER fail_one BEFORE INSERT ON segment_size_history FOR EACH ROW EXECUTE FUNCTION fail_one()");
        try {
            CompileContext context = new CompileContext(TestData.NOW, TestData.NEW_YORK, data.directory);
            connection.setAutoCommit(false);
            assertThatThrownBy(() -> COMPUTATION.runShared(connection, batch, context, "time", TestData.NOW))
                    .isInstanceOf(SQLException.class).hasMessageContaining("segment " + failing + " failed");
            connection.rollback();
            for (Target t : batch) {
                assertThat(rows("SELECT count(*) FROM segment_members WHERE segment_id = ?", t.segmentId()).get(0).get(0)).isEqualTo(0L);
                assertThat(rows("SELECT count(*) FROM segment_changes WHERE segment_id = ?", t.segmentId()).get(0).get(0)).isEqualTo(0L);
            }
            // Alone, the others compute.
            COMPUTATION.run(connection, batch.get(0), context, "time", TestData.NOW);
            connection.commit();
            assertThat((long) rows("SELECT count(*) FROM segment_members WHERE segment_id = ?", batch.get(0).segmentId()).get(0).get(0))
                    .isPositive();
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
            update("DROP TRIGGER fail_one ON segment_size_history");
            update("DROP FUNCTION fail_one()");
        }
    }

    @Test
    void sqlComputationsRecordTheEngine_andWhyTheColumnarOneDidNot() throws SQLException {
        List<Target> targets = targets("fallback", List.of(new Not(new dev.segmenta.core.ast.ListRule("VIP")),
                new dev.segmenta.core.ast.ListRule("VIP")));
        CompileContext context = new CompileContext(TestData.NOW, TestData.NEW_YORK, data.directory);
        String why = "the columnar engine is loading (3 of 300 users); SQL answered";
        connection.setAutoCommit(false);
        try {
            Map<Long, SegmentViews.Computation> shared = COMPUTATION.runShared(connection, targets.subList(0, 1), context, "time",
                    TestData.NOW, why);
            SegmentViews.Computation alone = COMPUTATION.run(connection, targets.get(1), context, "time", TestData.NOW);
            connection.commit();
            assertThat(shared.get(targets.get(0).segmentId())).extracting(SegmentViews.Computation::engine, SegmentViews.Computation::fallback)
                    .containsExactly("sql", why);
            assertThat(alone).extracting(SegmentViews.Computation::engine, SegmentViews.Computation::fallback).containsExactly("sql", null);
        } finally {
            connection.setAutoCommit(true);
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT engine, engine_fallback FROM segment_size_history WHERE segment_id = ?")) {
            ps.setLong(1, targets.get(0).segmentId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("sql");
                assertThat(rs.getString(2)).isEqualTo(why);
            }
        }
    }

    @Test
    void everyWriterGoesThroughTheMembershipStore_andSizesAddUpAcrossThem() throws SQLException {
        Target target = targets("writers", List.of(new Not(new dev.segmenta.core.ast.ListRule("VIP")))).get(0);
        long id = target.segmentId();
        CompileContext context = new CompileContext(TestData.NOW, TestData.NEW_YORK, data.directory);
        connection.setAutoCommit(false);
        try {
            SegmentViews.Computation bySql = COMPUTATION.run(connection, target, context, "time", TestData.NOW);
            connection.commit();
            List<Long> members = rows("SELECT user_pk FROM segment_members WHERE segment_id = ? ORDER BY user_pk", id).stream()
                    .map(r -> (Long) r.get(0)).toList();
            List<Long> outsiders = rows("SELECT id FROM users WHERE id <> ALL (SELECT user_pk FROM segment_members WHERE segment_id = ?) "
                    + "ORDER BY id", id).stream().map(r -> (Long) r.get(0)).toList();
            assertThat(members).hasSizeGreaterThan(2);
            assertThat(outsiders).hasSizeGreaterThan(1);
            // Real time: one member leaves, one outsider enters, one member stays; a stale version writes nothing.
            Map<Long, MembershipStore.Verdict> verdicts = new java.util.LinkedHashMap<>();
            verdicts.put(members.get(0), new MembershipStore.Verdict(members.get(0), false, "profile"));
            verdicts.put(outsiders.get(0), new MembershipStore.Verdict(outsiders.get(0), true, "event"));
            verdicts.put(outsiders.get(1), new MembershipStore.Verdict(outsiders.get(1), true, "event"));
            verdicts.put(members.get(1), new MembershipStore.Verdict(members.get(1), true, "event"));
            assertThat(MembershipStore.applyVerdicts(connection, id, 2, verdicts, TestData.NOW.plusSeconds(1), System.nanoTime()))
                    .isEqualTo(MembershipStore.Flips.NONE);
            MembershipStore.Flips flips = MembershipStore.applyVerdicts(connection, id, 3, verdicts, TestData.NOW.plusSeconds(1),
                    System.nanoTime());
            connection.commit();
            assertThat(flips).isEqualTo(new MembershipStore.Flips(2, 1));
            // An engine's answer (the SQL members again) moves them back.
            SegmentViews.Computation byEngine = COMPUTATION.runWith(connection, target,
                    members.stream().mapToLong(Long::longValue).toArray(), "time", TestData.NOW.plusSeconds(2), System.nanoTime());
            connection.commit();
            assertThat(List.of(byEngine.size(), byEngine.entered(), byEngine.exited())).containsExactly((long) members.size(), 1L, 2L);
            assertThat(bySql.size()).isEqualTo(members.size());
        } finally {
            connection.setAutoCommit(true);
        }
        List<List<Object>> history = rows("SELECT size, entered, exited, cause FROM segment_size_history WHERE segment_id = ? ORDER BY id", id);
        assertThat(history).hasSize(3);
        long previous = 0;
        for (List<Object> row : history) {
            assertThat((long) row.get(0)).as("size after %s", row).isEqualTo(previous + (long) row.get(1) - (long) row.get(2));
            previous = (long) row.get(0);
        }
        assertThat(history.get(1).get(3)).isEqualTo("event"); // the most frequent cause of the real-time write
        assertThat(rows("SELECT change, cause FROM segment_changes WHERE segment_id = ? AND at = ? ORDER BY id", id,
                java.sql.Timestamp.from(TestData.NOW.plusSeconds(1)))).containsExactly(List.of("exited", "profile"),
                List.of("entered", "event"), List.of("entered", "event"));
        assertThat(rows("SELECT size FROM segments WHERE id = ?", id).get(0).get(0)).isEqualTo((long) history.get(2).get(0));
    }

    private static List<Target> targets(String prefix, List<Rule> rules) throws SQLException {
        List<Target> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO segments (name, kind, dsl, rule, version, created_at, created_by, "
                + "updated_at, updated_by) VALUES (?, 'dynamic', '', ?::jsonb, 3, now(), 'test', now(), 'test') RETURNING id")) {
            for (int i = 0; i < rules.size(); i++) {
                ps.setString(1, prefix + " " + i);
                ps.setString(2, RuleJson.write(rules.get(i)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.add(new Target(rs.getLong(1), 3, rules.get(i)));
                }
            }
        }
        return out;
    }

    private static void update(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<List<Object>> rows(String sql, Object... params) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}
