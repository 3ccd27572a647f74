package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.eval.RandomBuckets;
import dev.segmenta.core.text.RuleParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exact SQL of the new kinds, and PostgreSQL's md5 bucket equal to Java's for awkward identities. */
class NewRuleKindsSqlTest {
    private static final CompileContext CONTEXT = new CompileContext(Instant.parse("2026-03-01T12:00:00Z"),
            ZoneId.of("Europe/Paris"), TestData.directory(Map.of()), "pepper");
    private static Connection connection;

    @BeforeAll
    static void start() throws SQLException {
        connection = TestDatabase.fresh("new_kinds").connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    private static CompiledQuery compile(String rule) {
        return new SqlCompiler(PostgresDialect.INSTANCE).predicate(RuleParser.parse(rule).rule(), CONTEXT);
    }

    @Test
    void sequenceIsANestedExistsChain() {
        CompiledQuery q = compile("performed \"cart\" within last 7 days then not \"buy\" within 1 day");
        assertThat(q.sql()).isEqualTo("EXISTS (SELECT 1 FROM events q0 WHERE q0.user_pk = u.id AND q0.event_name = ?"
                + " AND (q0.created_at > ?::timestamptz AND q0.created_at <= ?::timestamptz)"
                + " AND (q0.created_at <= ?::timestamptz)"
                + " AND NOT EXISTS (SELECT 1 FROM events qn WHERE qn.user_pk = u.id AND qn.event_name = ?"
                + " AND qn.created_at > q0.created_at AND qn.created_at <= q0.created_at + ?::bigint * interval '1 second'))");
        assertThat(q.params().toString())
                .isEqualTo("[cart, 2026-02-22T12:00Z, 2026-03-01T12:00Z, 2026-02-28T12:00Z, buy, 86400]");
        assertThat(compile("performed \"a\" then \"b\" then \"c\" within 1 hour").sql())
                .isEqualTo("EXISTS (SELECT 1 FROM events q0 WHERE q0.user_pk = u.id AND q0.event_name = ?"
                        + " AND EXISTS (SELECT 1 FROM events q1 WHERE q1.user_pk = u.id AND q1.event_name = ?"
                        + " AND q1.created_at > q0.created_at"
                        + " AND EXISTS (SELECT 1 FROM events q2 WHERE q2.user_pk = u.id AND q2.event_name = ?"
                        + " AND q2.created_at > q1.created_at AND q2.created_at <= q1.created_at + ?::bigint * interval '1 second')))");
    }

    @Test
    void bucketAndAnniversaryBindEveryValue() {
        CompiledQuery bucket = compile("random bucket < 10");
        assertThat(bucket.sql()).isEqualTo("coalesce((('x' || substr(md5(?::text || ':' || coalesce(nullif(u.user_id, ''),"
                + " nullif(u.email, ''))), 1, 8))::bit(32)::bigint % 100) < ?::integer, false)");
        assertThat(bucket.params().toString()).isEqualTo("[pepper, 10]");
        CompiledQuery signup = compile("signupDate anniversary within next 7 days");
        assertThat(signup.sql()).isEqualTo("(coalesce((((u.signup_date AT TIME ZONE ?) < ?::timestamp AND"
                + " (extract(month FROM (u.signup_date AT TIME ZONE ?)) * 100 + extract(day FROM (u.signup_date AT TIME ZONE ?)))"
                + " BETWEEN ?::integer AND ?::integer)), false))");
        assertThat(signup.params().toString())
                .isEqualTo("[Europe/Paris, 2026-01-01, Europe/Paris, Europe/Paris, 301, 307]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bob@example.com", "Ünïcødé", "emoji 🎉", "a:b", "", "x'; drop table users; --"})
    void postgresComputesTheSameBucketAsJava(String identity) throws SQLException {
        SqlWriter sql = new SqlWriter().sql("SELECT ");
        PostgresDialect.INSTANCE.randomBucket(sql, "x.id", "pepper ß");
        sql.sql(" FROM (SELECT ").param(identity, "::text").sql(" AS id) x");
        CompiledQuery q = sql.toQuery();
        try (PreparedStatement ps = q.prepare(connection); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(RandomBuckets.bucket("pepper ß", identity));
        }
    }
}
