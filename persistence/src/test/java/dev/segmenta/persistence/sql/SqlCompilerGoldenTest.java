package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.model.Directory;
import dev.segmenta.core.text.RuleParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact SQL and parameters for representative rules (PostgreSQL dialect). */
class SqlCompilerGoldenTest {
    private static final CompileContext CONTEXT = new CompileContext(Instant.parse("2026-03-01T12:00:00Z"),
            ZoneId.of("Europe/Paris"), TestData.directory(Map.of()));

    static Stream<Arguments> cases() {
        return Stream.of(GOLDEN).map(g -> Arguments.of(g[0], g[1], g[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compilesToTheGoldenSql(String rule, String sql, String params) {
        CompiledQuery query = new SqlCompiler(PostgresDialect.INSTANCE).predicate(RuleParser.parse(rule).rule(), CONTEXT);
        assertThat(query.sql()).isEqualTo(sql);
        assertThat(query.params().toString()).isEqualTo(params);
    }

    private static final String[][] GOLDEN = {
        {"state = \"CA\"",
            "(CASE WHEN (jsonb_typeof(u.data_fields) = 'array' OR coalesce(jsonb_typeof(u.data_fields #> ?::text[]) = 'array', false)) THEN EXISTS (SELECT 1 FROM segmenta_reach_scalars(u.data_fields, ?::text[]) AS v(j) WHERE lower(CASE WHEN jsonb_typeof(j) = 'string' THEN j #>> '{}' END) = ?) ELSE coalesce(jsonb_typeof((u.data_fields #> ?::text[])) <> 'null' AND (lower(CASE WHEN jsonb_typeof((u.data_fields #> ?::text[])) = 'string' THEN (u.data_fields #> ?::text[]) #>> '{}' END) = ?), false) END)",
            "[[state], [state], ca, [state], [state], [state], ca]"},
        {"plan != \"Pro\"",
            "NOT (CASE WHEN (jsonb_typeof(u.data_fields) = 'array' OR coalesce(jsonb_typeof(u.data_fields #> ?::text[]) = 'array', false)) THEN EXISTS (SELECT 1 FROM segmenta_reach_scalars(u.data_fields, ?::text[]) AS v(j) WHERE lower(CASE WHEN jsonb_typeof(j) = 'string' THEN j #>> '{}' END) = ?) ELSE coalesce(jsonb_typeof((u.data_fields #> ?::text[])) <> 'null' AND (lower(CASE WHEN jsonb_typeof((u.data_fields #> ?::text[])) = 'string' THEN (u.data_fields #> ?::text[]) #>> '{}' END) = ?), false) END)",
            "[[plan], [plan], pro, [plan], [plan], [plan], pro]"},
        {"age between 18 and 30",
            "(CASE WHEN (jsonb_typeof(u.data_fields) = 'array' OR coalesce(jsonb_typeof(u.data_fields #> ?::text[]) = 'array', false)) THEN EXISTS (SELECT 1 FROM segmenta_reach_scalars(u.data_fields, ?::text[]) AS v(j) WHERE CASE WHEN jsonb_typeof(j) = 'number' THEN (j)::numeric END BETWEEN ?::numeric AND ?::numeric) ELSE coalesce(jsonb_typeof((u.data_fields #> ?::text[])) <> 'null' AND (CASE WHEN jsonb_typeof((u.data_fields #> ?::text[])) = 'number' THEN ((u.data_fields #> ?::text[]))::numeric END BETWEEN ?::numeric AND ?::numeric), false) END)",
            "[[age], [age], 18, 30, [age], [age], [age], 18, 30]"},
        {"tags contains \"vip\"",
            "(CASE WHEN (jsonb_typeof(u.data_fields) = 'array') THEN EXISTS (SELECT 1 FROM segmenta_reach(u.data_fields, ?::text[]) AS v(j) WHERE (strpos(lower(CASE WHEN jsonb_typeof(j) = 'string' THEN j #>> '{}' END), ?) > 0 OR EXISTS (SELECT 1 FROM segmenta_scalars(CASE WHEN jsonb_typeof(j) = 'array' THEN j END) AS x(k) WHERE lower(CASE WHEN jsonb_typeof(k) = 'string' THEN k #>> '{}' END) = ?))) ELSE coalesce(jsonb_typeof((u.data_fields #> ?::text[])) <> 'null' AND ((strpos(lower(CASE WHEN jsonb_typeof((u.data_fields #> ?::text[])) = 'string' THEN (u.data_fields #> ?::text[]) #>> '{}' END), ?) > 0 OR EXISTS (SELECT 1 FROM segmenta_scalars(CASE WHEN jsonb_typeof((u.data_fields #> ?::text[])) = 'array' THEN (u.data_fields #> ?::text[]) END) AS x(k) WHERE lower(CASE WHEN jsonb_typeof(k) = 'string' THEN k #>> '{}' END) = ?))), false) END)",
            "[[tags], vip, vip, [tags], [tags], [tags], vip, [tags], [tags], vip]"},
        {"items.name is set",
            "(CASE WHEN (jsonb_typeof(u.data_fields) = 'array' OR coalesce(jsonb_typeof(u.data_fields #> ?::text[]) = 'array', false)) THEN EXISTS (SELECT 1 FROM segmenta_reach(u.data_fields, ?::text[]) AS v(j) WHERE j <> '\"\"'::jsonb AND j <> '[]'::jsonb) ELSE coalesce(jsonb_typeof((u.data_fields #> ?::text[])) <> 'null' AND ((u.data_fields #> ?::text[]) <> '\"\"'::jsonb AND (u.data_fields #> ?::text[]) <> '[]'::jsonb), false) END)",
            "[[items], [items, name], [items, name], [items, name], [items, name]]"},
        {"signupDate within last 30 days",
            "((u.signup_date > ?::timestamptz AND u.signup_date <= ?::timestamptz))",
            "[2026-01-30T12:00Z, 2026-03-01T12:00Z]"},
        {"birthday on 2026-01-31",
            "(CASE WHEN (jsonb_typeof(u.data_fields) = 'array' OR coalesce(jsonb_typeof(u.data_fields #> ?::text[]) = 'array', false)) THEN EXISTS (SELECT 1 FROM segmenta_reach_scalars(u.data_fields, ?::text[]) AS v(j) WHERE (segmenta_json_instant_ns(j, ?) >= ?::numeric AND segmenta_json_instant_ns(j, ?) < ?::numeric)) ELSE coalesce(jsonb_typeof((u.data_fields #> ?::text[])) <> 'null' AND ((segmenta_json_instant_ns((u.data_fields #> ?::text[]), ?) >= ?::numeric AND segmenta_json_instant_ns((u.data_fields #> ?::text[]), ?) < ?::numeric)), false) END)",
            "[[birthday], [birthday], Europe/Paris, 1769814000000000000, Europe/Paris, 1769900400000000000, [birthday], [birthday], Europe/Paris, 1769814000000000000, [birthday], Europe/Paris, 1769900400000000000]"},
        {"performed \"purchase\" where item = \"jacket\" within last 90 days",
            "u.id IN (SELECT e.user_pk FROM events e WHERE e.event_name = ? AND (e.created_at > ?::timestamptz AND e.created_at <= ?::timestamptz) AND (CASE WHEN (jsonb_typeof(e.data_fields) = 'array' OR coalesce(jsonb_typeof(e.data_fields #> ?::text[]) = 'array', false)) THEN EXISTS (SELECT 1 FROM segmenta_reach_scalars(e.data_fields, ?::text[]) AS v(j) WHERE lower(CASE WHEN jsonb_typeof(j) = 'string' THEN j #>> '{}' END) = ?) ELSE coalesce(jsonb_typeof((e.data_fields #> ?::text[])) <> 'null' AND (lower(CASE WHEN jsonb_typeof((e.data_fields #> ?::text[])) = 'string' THEN (e.data_fields #> ?::text[]) #>> '{}' END) = ?), false) END))",
            "[purchase, 2025-12-01T12:00Z, 2026-03-01T12:00Z, [item], [item], jacket, [item], [item], [item], jacket]"},
        {"not performed \"emailOpen\" within last 30 days",
            "NOT EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND e.event_name = ? AND (e.created_at > ?::timestamptz AND e.created_at <= ?::timestamptz))",
            "[emailOpen, 2026-01-30T12:00Z, 2026-03-01T12:00Z]"},
        {"performed \"purchase\" at least 3 times with sum(amount) >= 500",
            "u.id IN (SELECT a.user_pk FROM (SELECT e.user_pk, CASE WHEN (jsonb_typeof(e.data_fields) = 'array' OR coalesce(jsonb_typeof(e.data_fields #> ?::text[]) = 'array', false)) THEN (SELECT sum(CASE WHEN jsonb_typeof(r.j) = 'number' THEN (r.j)::numeric END) FROM segmenta_reach_scalars(e.data_fields, ?::text[]) AS r(j)) ELSE CASE WHEN jsonb_typeof((e.data_fields #> ?::text[])) = 'number' THEN ((e.data_fields #> ?::text[]))::numeric END END AS s, CASE WHEN (jsonb_typeof(e.data_fields) = 'array' OR coalesce(jsonb_typeof(e.data_fields #> ?::text[]) = 'array', false)) THEN (SELECT count(CASE WHEN jsonb_typeof(r.j) = 'number' THEN (r.j)::numeric END) FROM segmenta_reach_scalars(e.data_fields, ?::text[]) AS r(j)) ELSE CASE WHEN jsonb_typeof((e.data_fields #> ?::text[])) = 'number' THEN 1 ELSE 0 END END AS c, CASE WHEN (jsonb_typeof(e.data_fields) = 'array' OR coalesce(jsonb_typeof(e.data_fields #> ?::text[]) = 'array', false)) THEN (SELECT min(CASE WHEN jsonb_typeof(r.j) = 'number' THEN (r.j)::numeric END) FROM segmenta_reach_scalars(e.data_fields, ?::text[]) AS r(j)) ELSE CASE WHEN jsonb_typeof((e.data_fields #> ?::text[])) = 'number' THEN ((e.data_fields #> ?::text[]))::numeric END END AS lo, CASE WHEN (jsonb_typeof(e.data_fields) = 'array' OR coalesce(jsonb_typeof(e.data_fields #> ?::text[]) = 'array', false)) THEN (SELECT max(CASE WHEN jsonb_typeof(r.j) = 'number' THEN (r.j)::numeric END) FROM segmenta_reach_scalars(e.data_fields, ?::text[]) AS r(j)) ELSE CASE WHEN jsonb_typeof((e.data_fields #> ?::text[])) = 'number' THEN ((e.data_fields #> ?::text[]))::numeric END END AS hi FROM events e WHERE e.event_name = ? OFFSET 0) a GROUP BY a.user_pk HAVING count(*) >= ?::bigint AND coalesce(sum(a.s), 0) >= ?::numeric)",
            "[[amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], [amount], purchase, 3, 500]"},
        {"performed \"login\" at most 2 times within last 30 days",
            "NOT (u.id IN (SELECT e.user_pk FROM events e WHERE e.event_name = ? AND (e.created_at > ?::timestamptz AND e.created_at <= ?::timestamptz) GROUP BY e.user_pk HAVING NOT coalesce(count(*) <= ?::bigint, false)))",
            "[login, 2026-01-30T12:00Z, 2026-03-01T12:00Z, 2]"},
        {"not performed \"login\" within last 30 days or signupDate within last 7 days",
            "(NOT (u.id IN (SELECT e.user_pk FROM events e WHERE e.event_name = ? AND (e.created_at > ?::timestamptz AND e.created_at <= ?::timestamptz))) OR ((u.signup_date > ?::timestamptz AND u.signup_date <= ?::timestamptz)))",
            "[login, 2026-01-30T12:00Z, 2026-03-01T12:00Z, 2026-02-22T12:00Z, 2026-03-01T12:00Z]"},
        {"last performed \"login\" within last 7 days",
            "u.id IN (SELECT s.user_pk FROM user_event_stats s WHERE s.event_name = ? AND (s.last_at > ?::timestamptz AND s.last_at <= ?::timestamptz))",
            "[login, 2026-02-22T12:00Z, 2026-03-01T12:00Z]"},
        {"performed \"purchase\" at most 2 times and not performed \"login\"",
            "(NOT (u.id IN (SELECT s.user_pk FROM user_event_stats s WHERE s.event_name = ? AND NOT (s.event_count <= ?::bigint))) AND NOT EXISTS (SELECT 1 FROM user_event_stats s WHERE s.event_name = ? AND s.user_pk = u.id))",
            "[purchase, 2, login]"},
        {"in list \"VIP\" and subscribed to message type \"Newsletter\"",
            "(EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = ?::bigint AND m.user_pk = u.id) AND (NOT coalesce(?::bigint = ANY (u.unsubscribed_channel_ids), false) AND coalesce(?::bigint = ANY (u.subscribed_message_type_ids), false)))",
            "[902, 1, 12]"},
        {"email ends with \"@example.com\" or in segment \"Nope\"",
            "((coalesce(starts_with(reverse(lower(CASE WHEN jsonb_typeof(to_jsonb(u.email)) = 'string' THEN to_jsonb(u.email) #>> '{}' END)), reverse(?)), false)) OR FALSE)",
            "[@example.com]"},
    };
}
