package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.text.RulePrinter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The compiled SQL, run on PostgreSQL over a random data set, selects exactly the users the in-memory evaluator
 * selects on the same data, for random rule trees; and {@code count(p) + count(not p)} is every user.
 */
class SqlCompilerDifferentialTest {
    private static final int USERS = 300;
    private static final Map<String, Rule> SEGMENTS = Map.of(
            "S1", new Or(List.of(new FieldRule(FieldPath.of("s"), new FieldCondition.Compare(CompareOp.EQ, new Value.Text("x"))),
                    new EventRule("buy", List.of(), null,
                            new Window.During(new DateCondition.WithinLast(new Span(7, Span.Unit.DAY))), null))),
            "S2", new And(List.of(new SegmentRule("S1"), new Not(new ListRule("VIP")))));

    private static TestDatabase database;
    private static Connection connection;
    private static TestData data;
    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);

    @BeforeContainer
    static void start() throws SQLException {
        database = TestDatabase.fresh("differential");
        connection = database.connect();
        data = TestData.generate(20260228L, USERS, SEGMENTS, connection);
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @Provide
    Arbitrary<Rule> rules() {
        return Arbitraries.longs().map(seed -> new RandomRules(new Random(seed)).rule(3));
    }

    @Property(tries = 500, shrinking = ShrinkingMode.OFF)
    void utc_sqlSelectsExactlyTheEvaluatorsUsers(@ForAll("rules") Rule rule) throws SQLException {
        agree(rule, ZoneOffset.UTC);
    }

    @Property(tries = 500, shrinking = ShrinkingMode.OFF)
    void projectZone_sqlSelectsExactlyTheEvaluatorsUsers(@ForAll("rules") Rule rule,
            @ForAll("zones") ZoneId zone) throws SQLException {
        agree(rule, zone);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(TestData.NEW_YORK, ZoneId.of("Asia/Kolkata"), ZoneOffset.ofHoursMinutes(-3, -30));
    }

    private void agree(Rule rule, ZoneId zone) throws SQLException {
        CompileContext compile = new CompileContext(TestData.NOW, zone, data.directory);
        EvaluationContext evaluate = new EvaluationContext(TestData.NOW, zone, data.directory);
        CompiledQuery predicate = COMPILER.predicate(rule, compile);

        TreeSet<Long> expected = new TreeSet<>();
        for (Map.Entry<Long, UserSnapshot> user : data.users.entrySet()) {
            if (Evaluator.evaluate(rule, user.getValue(), evaluate)) {
                expected.add(user.getKey());
            }
        }
        TreeSet<Long> actual = new TreeSet<>();
        CompiledQuery select = new CompiledQuery("SELECT u.id, " + predicate.sql() + " FROM users u", predicate.params());
        try (PreparedStatement ps = select.prepare(connection); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                boolean holds = rs.getBoolean(2);
                assertThat(rs.wasNull()).as("the predicate is NULL for user %d: %s", rs.getLong(1), predicate.sql()).isFalse();
                if (holds) {
                    actual.add(rs.getLong(1));
                }
            }
        }
        if (!actual.equals(expected)) {
            TreeSet<Long> onlySql = new TreeSet<>(actual);
            onlySql.removeAll(expected);
            TreeSet<Long> onlyEvaluator = new TreeSet<>(expected);
            onlyEvaluator.removeAll(actual);
            Long example = !onlySql.isEmpty() ? onlySql.first() : onlyEvaluator.first();
            throw new AssertionError("rule: " + RulePrinter.print(rule) + "\nzone: " + zone
                    + "\nonly SQL: " + onlySql + "\nonly evaluator: " + onlyEvaluator
                    + "\nuser " + example + ": " + data.users.get(example)
                    + "\nsql: " + predicate.sql() + "\nparams: " + predicate.params());
        }
        CompiledQuery notCount = new SegmentQueries(COMPILER).count(new Not(rule), compile);
        try (PreparedStatement ps = notCount.prepare(connection); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(actual.size() + rs.getLong(1)).as("count(p) + count(not p)").isEqualTo(USERS);
        }
    }
}
