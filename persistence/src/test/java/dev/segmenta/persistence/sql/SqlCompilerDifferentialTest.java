package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import dev.segmenta.core.text.RulePrinter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The compiled SQL, run on PostgreSQL over a random data set, selects exactly the users the in-memory evaluator
 * selects on the same data, for random rule trees (1,000 per run, shrunk when one fails); and
 * {@code count(p) + count(not p)} is every user. The data ({@link RandomData}) is checked twice: after its first
 * phase (users and events, some replacing earlier events by id, some moving them to another user) and after the
 * second (profile merges, more replacements, user deletions), in two databases.
 */
class SqlCompilerDifferentialTest {
    private static final int USERS = 300;
    private static final RandomData.DataSet DATA = RandomData.generate(20260228L, USERS);

    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);
    private static final List<Connection> CONNECTIONS = new ArrayList<>();
    private static final List<TestData> PHASES = new ArrayList<>();

    @BeforeContainer
    static void start() throws SQLException {
        Connection first = TestDatabase.fresh("differential").connect();
        Connection after = TestDatabase.fresh("differential_after").connect();
        CONNECTIONS.add(first);
        CONNECTIONS.add(after);
        Directory directory = TestData.directory(RandomRules.SEGMENTS);
        PHASES.add(TestData.write(DATA, DATA.firstPhase(), directory, first));
        PHASES.add(TestData.write(DATA, DATA.changes().size(), directory, after));
    }

    @AfterContainer
    static void stop() throws SQLException {
        for (Connection c : CONNECTIONS) {
            c.close();
        }
    }

    @Provide
    Arbitrary<Rule> rules() {
        return RandomRules.rules(3);
    }

    @Property(tries = 500)
    void utc_sqlSelectsExactlyTheEvaluatorsUsers(@ForAll("rules") Rule rule) throws SQLException {
        for (int phase = 0; phase < PHASES.size(); phase++) {
            agree(rule, ZoneOffset.UTC, PHASES.get(phase), CONNECTIONS.get(phase));
        }
    }

    @Property(tries = 500)
    void projectZone_sqlSelectsExactlyTheEvaluatorsUsers(@ForAll("rules") Rule rule,
            @ForAll("zones") ZoneId zone) throws SQLException {
        for (int phase = 0; phase < PHASES.size(); phase++) {
            agree(rule, zone, PHASES.get(phase), CONNECTIONS.get(phase));
        }
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(TestData.NEW_YORK, ZoneId.of("Asia/Kolkata"), ZoneOffset.ofHoursMinutes(-3, -30));
    }

    private static void agree(Rule rule, ZoneId zone, TestData data, Connection connection) throws SQLException {
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
            assertThat(actual.size() + rs.getLong(1)).as("count(p) + count(not p)").isEqualTo(data.users.size());
        }
    }
}
