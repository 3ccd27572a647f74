package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.Span;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile names and values (quotes, backslashes, {@code $}, {@code ?}, jsonpath and SQL syntax, unicode, NUL)
 * go through the compiler: the SQL text never contains them, and the statement runs, or the compiler refuses
 * the rule with an {@link UncompilableRuleException} before any SQL runs; never a database error.
 */
class SqlCompilerInjectionTest {
    private static final String[] FRAGMENTS = {"'", "''", "\"", "\\", "$", "$1", "?", "??", "--", ";", "/*", "*/",
        "$.a", "@", "lax $.**", "? (@ == 1)", "like_regex \".*\"", "DROP TABLE users", "') OR 1=1 --", "\u0000",
        "é", "İ", "Σ", "\uD83D\uDE00", "\uD83D", "\n", "\t", "{}", "[*]", "E'", "$$", "$tag$", "%", "_", "\u2028"};
    private static TestDatabase database;
    private static Connection connection;
    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);

    @BeforeContainer
    static void start() throws SQLException {
        database = TestDatabase.fresh("injection");
        connection = database.connect();
        try (Statement s = connection.createStatement()) {
            s.execute("INSERT INTO users (email, data_fields, signup_date, created_at, profile_updated_at) VALUES "
                    + "('a@example.com', '{\"a\": {\"b\": [\"x\", 1]}, \"it''s\": \"q\"}', now(), now(), now())");
            s.execute("INSERT INTO events (user_pk, event_name, created_at, received_at, data_fields) "
                    + "SELECT id, 'e''1', now(), now(), '{\"amount\": 3}' FROM users");
        }
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        // The marker makes "the SQL never contains the text" a test that could fail for any fragment.
        return Combinators.combine(Arbitraries.of(FRAGMENTS).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 999_999))
                .as((parts, n) -> String.join("", parts) + "mark" + n + parts.get(0));
    }

    @Property(tries = 300)
    void hostileText_isBoundNeverSpliced(@ForAll("hostile") String field, @ForAll("hostile") String value,
            @ForAll("hostile") String event, @ForAll("hostile") String name) throws SQLException {
        Rule rule = new Or(List.of(
                new FieldRule(new FieldPath(List.of(field)), new FieldCondition.Compare(CompareOp.EQ, new Value.Text(value))),
                new FieldRule(new FieldPath(List.of("a", field)), new FieldCondition.Contains(true, new Value.Text(value))),
                new FieldRule(new FieldPath(List.of(field, "b")), new FieldCondition.In(false, List.of(new Value.Text(value), Value.Number.of(1)))),
                new FieldRule(FieldPath.of("email"), new FieldCondition.Affix(FieldCondition.AffixKind.ENDS_WITH, value)),
                new FieldRule(FieldPath.of("userId"), new FieldCondition.Affix(FieldCondition.AffixKind.STARTS_WITH, value)),
                new FieldRule(new FieldPath(List.of(field)), new FieldCondition.ContainsSet(FieldCondition.Quantifier.ALL,
                        List.of(new Value.Text(value), new Value.Bool(true)))),
                new And(List.of(new EventRule(event, List.of(new FieldRule(new FieldPath(List.of(field)),
                                new FieldCondition.Compare(CompareOp.NE, new Value.Text(value)))),
                        new Count(Count.Op.AT_MOST, 2), null,
                        new Aggregate(Aggregate.Function.AVG, new FieldPath(List.of(field)), CompareOp.GE, BigDecimal.ONE)),
                        new RecencyRule(RecencyRule.Which.LAST, event, List.of(),
                                new DateCondition.WithinLast(new Span(3, Span.Unit.DAY))))),
                new ListRule(name), new SegmentRule(name),
                new SubscriptionRule(true, SubscriptionRule.Target.MESSAGE_TYPE, name),
                new SubscriptionRule(false, SubscriptionRule.Target.CHANNEL, name)));
        // Names resolve through the directory: a hostile name that exists is used by its id, never its text.
        CompileContext context = new CompileContext(TestData.NOW, TestData.NEW_YORK, TestData.directory(Map.of(name,
                new FieldRule(new FieldPath(List.of(field)), new FieldCondition.IsSet(false)))));
        CompiledQuery query;
        try {
            query = new SegmentQueries(COMPILER).count(rule, context);
        } catch (UncompilableRuleException refused) {
            assertThat(field + value + event + name).containsAnyOf("\u0000", "\uD83D");
            return;
        }
        for (String text : List.of(field, value, event, name)) {
            assertThat(query.sql()).doesNotContain(text).doesNotContain(text.substring(text.indexOf("mark")));
        }
        try (PreparedStatement ps = query.prepare(connection); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isBetween(0L, 1L);
        }
    }
}
