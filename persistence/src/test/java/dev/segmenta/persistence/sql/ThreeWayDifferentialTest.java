package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.segmenta.core.testing.RandomRules;
import dev.segmenta.core.text.RulePrinter;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.SnapshotLoader;
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
import org.roaringbitmap.RoaringBitmap;

/**
 * Three evaluators, one answer: for random rule trees over a random data set (missing fields, nulls, empty strings
 * and arrays, nested objects, arrays of objects, events on window boundaries, replaced event ids), the in-memory
 * evaluator per user, the compiled SQL on PostgreSQL and the columnar index (loaded from PostgreSQL the way the
 * server loads it) select exactly the same users; and on the columnar engine count(p) + count(not p) is every user.
 */
class ThreeWayDifferentialTest {
    private static final int USERS = 300;
    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);
    /** Not the default: the salt must reach all three evaluators. */
    private static final String SALT = "three-way ß salt";

    private static Connection connection;
    private static TestData data;
    private static ColumnarReplica replica;

    @BeforeContainer
    static void start() throws SQLException {
        TestDatabase database = TestDatabase.fresh("three_way");
        connection = database.connect();
        data = TestData.generate(20261129L, USERS, RandomRules.SEGMENTS, connection);
        replica = new ColumnarReplica(new TestDataSource(database), SnapshotLoader.reader(new ObjectMapper()), 64);
        replica.load();
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @Provide
    Arbitrary<Rule> rules() {
        return RandomRules.rules(3);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(TestData.NEW_YORK, ZoneId.of("Asia/Kolkata"), ZoneOffset.ofHoursMinutes(-3, -30));
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void utc_allThreeSelectTheSameUsers(@ForAll("rules") Rule rule) throws SQLException {
        agree(rule, ZoneOffset.UTC);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void projectZone_allThreeSelectTheSameUsers(@ForAll("rules") Rule rule, @ForAll("zones") ZoneId zone) throws SQLException {
        agree(rule, zone);
    }

    private void agree(Rule rule, ZoneId zone) throws SQLException {
        assertThat(replica.state()).as("columnar load: %s", replica.failure()).isEqualTo(ColumnarReplica.State.LOADED);
        EvaluationContext evaluate = new EvaluationContext(TestData.NOW, zone, data.directory, SALT);

        TreeSet<Long> inMemory = new TreeSet<>();
        for (Map.Entry<Long, UserSnapshot> user : data.users.entrySet()) {
            if (Evaluator.evaluate(rule, user.getValue(), evaluate)) {
                inMemory.add(user.getKey());
            }
        }
        TreeSet<Long> sql = sql(rule, zone);
        TreeSet<Long> columnar = new TreeSet<>();
        long[] counts = replica.read(index -> {
            RoaringBitmap yes = index.evaluate(rule, evaluate);
            for (int ordinal : yes) {
                columnar.add(index.userPk(ordinal));
            }
            return new long[] {yes.getLongCardinality(), index.evaluate(new Not(rule), evaluate).getLongCardinality(), index.size()};
        });
        String where = "rule: " + RulePrinter.print(rule) + "\nzone: " + zone;
        compare("SQL", sql, inMemory, where);
        compare("columnar", columnar, inMemory, where);
        assertThat(counts[0]).as("columnar count of " + where).isEqualTo(columnar.size());
        assertThat(counts[0] + counts[1]).as("columnar count(p) + count(not p), " + where).isEqualTo(data.users.size());
        assertThat(counts[2]).isEqualTo(data.users.size());
    }

    private static TreeSet<Long> sql(Rule rule, ZoneId zone) throws SQLException {
        CompiledQuery predicate = COMPILER.predicate(rule, new CompileContext(TestData.NOW, zone, data.directory, SALT));
        TreeSet<Long> out = new TreeSet<>();
        CompiledQuery select = new CompiledQuery("SELECT u.id FROM users u WHERE " + predicate.sql(), predicate.params());
        try (PreparedStatement ps = select.prepare(connection); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static void compare(String engine, TreeSet<Long> actual, TreeSet<Long> expected, String where) {
        if (actual.equals(expected)) {
            return;
        }
        TreeSet<Long> onlyEngine = new TreeSet<>(actual);
        onlyEngine.removeAll(expected);
        TreeSet<Long> onlyEvaluator = new TreeSet<>(expected);
        onlyEvaluator.removeAll(actual);
        Long example = !onlyEngine.isEmpty() ? onlyEngine.first() : onlyEvaluator.first();
        throw new AssertionError(where + "\nonly " + engine + ": " + onlyEngine + "\nonly evaluator: " + onlyEvaluator
                + "\nuser " + example + ": " + data.users.get(example));
    }
}
