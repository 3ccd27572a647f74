package dev.segmenta.persistence.sql;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Rule;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every statement built around a compiled rule predicate, each one parameterised {@link CompiledQuery} written
 * through one {@link SqlWriter} (text and binds in step): count, a random sample, keyset-paged members, the
 * preview's funnel and reach, impact, overlap, the rules one user matches, and materialisation of one or several
 * segments into a membership table. The SQL engine and the recompute run them; nothing else writes SQL around a
 * predicate.
 *
 * <pre>{@code
 * SegmentQueries queries = new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE));
 * CompiledQuery count = queries.count(rule, new CompileContext(now, zone, directory));
 * try (PreparedStatement ps = count.prepare(connection); ResultSet rs = ps.executeQuery()) { ... }
 * }</pre>
 */
public final class SegmentQueries {
    /** Result columns of {@link #sample} and {@link #members}, in this order. */
    public static final String MEMBER_COLUMNS = "u.id, u.email, u.user_id";

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final SqlCompiler compiler;

    public SegmentQueries(SqlCompiler compiler) {
        this.compiler = requireNonNull(compiler, "compiler is null");
    }

    /** {@code SELECT count(*)}: one row, one bigint. */
    public CompiledQuery count(Rule rule, CompileContext context) {
        SqlWriter sql = new SqlWriter().sql("SELECT count(*) FROM users u WHERE ");
        compiler.write(sql, rule, context);
        return sql.toQuery();
    }

    /** Up to {@code size} matching users chosen at random: {@code id, email, user_id}. */
    public CompiledQuery sample(Rule rule, CompileContext context, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("a sample size cannot be negative: " + size);
        }
        SqlWriter sql = new SqlWriter().sql("SELECT " + MEMBER_COLUMNS + " FROM users u WHERE ");
        compiler.write(sql, rule, context);
        return sql.sql(" ORDER BY " + compiler.dialect().randomOrder() + " LIMIT ").param((long) size, compiler.dialect().cast(SqlDialect.BindType.BIGINT))
                .toQuery();
    }

    /**
     * The page of matching users after the user with primary key {@code afterId} (0 for the first page), in
     * primary key order: {@code id, email, user_id}. The last id of a page is the cursor of the next.
     */
    public CompiledQuery members(Rule rule, CompileContext context, long afterId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a page size cannot be negative: " + limit);
        }
        SqlWriter sql = new SqlWriter().sql("SELECT " + MEMBER_COLUMNS + " FROM users u WHERE u.id > ")
                .param(afterId, compiler.dialect().cast(SqlDialect.BindType.BIGINT)).sql(" AND ");
        compiler.write(sql, rule, context);
        return sql.sql(" ORDER BY u.id LIMIT ").param((long) limit, compiler.dialect().cast(SqlDialect.BindType.BIGINT)).toQuery();
    }

    /**
     * {@code INSERT INTO <table> (segment_id, user_pk) SELECT ?, u.id FROM users u WHERE <rule>}. {@code table}
     * is a constant of the caller (lower-case SQL identifier); it is never user input.
     */
    public CompiledQuery materialise(Rule rule, CompileContext context, String table, long segmentId) {
        if (!TABLE_NAME.matcher(requireNonNull(table, "table is null")).matches()) {
            throw new IllegalArgumentException("not a membership table name: " + table);
        }
        SqlWriter sql = new SqlWriter().sql("INSERT INTO " + compiler.dialect().quoteIdentifier(table)
                + " (segment_id, user_pk) SELECT ").param(segmentId, compiler.dialect().cast(SqlDialect.BindType.BIGINT)).sql(", u.id FROM users u WHERE ");
        compiler.write(sql, rule, context);
        return sql.toQuery();
    }

    /** {@code SELECT count(*) FROM users}: every user. */
    public CompiledQuery total() {
        return new SqlWriter().sql("SELECT count(*) FROM users").toQuery();
    }

    /**
     * One row: the count of users meeting all {@code steps} (the rule), then the count meeting the first 1, 2, … of
     * them (the funnel), then per channel the count of users meeting all steps who are not unsubscribed from it
     * and meet its requirement ({@code requirements.get(i)}: a rule, or empty when the channel needs nothing).
     * One scan: {@code p.f} is how many leading steps a user meets (a CASE stops at the first step that fails), so
     * step i's count is {@code f > i} and the rule's own is {@code f = n}; each step is compiled once, and the
     * statement grows linearly with the rule, not with the square of its number of terms.
     */
    public CompiledQuery funnelAndReach(List<Rule> steps, List<Long> channelIds, List<Optional<Rule>> requirements, CompileContext context) {
        if (channelIds.size() != requirements.size()) {
            throw new IllegalArgumentException("one requirement per channel: " + channelIds.size() + " channels, "
                    + requirements.size() + " requirements");
        }
        int n = steps.size();
        SqlWriter sql = new SqlWriter().sql("SELECT count(*) FILTER (WHERE p.f = " + n + ")");
        for (int i = 0; i < n; i++) {
            sql.sql(", count(*) FILTER (WHERE p.f > " + i + ")");
        }
        for (int i = 0; i < channelIds.size(); i++) {
            sql.sql(", count(*) FILTER (WHERE p.f = " + n + " AND NOT (").param(channelIds.get(i), compiler.dialect().cast(SqlDialect.BindType.BIGINT))
                    .sql(" = ANY (p.unsub)) AND p.r" + i + ")");
        }
        sql.sql(" FROM (SELECT u.unsubscribed_channel_ids AS unsub, CASE");
        for (int i = 0; i < n; i++) {
            sql.sql(" WHEN (");
            compiler.write(sql, steps.get(i), context);
            sql.sql(") IS NOT TRUE THEN " + i);
        }
        sql.sql(" ELSE " + n + " END AS f");
        for (int i = 0; i < requirements.size(); i++) {
            if (requirements.get(i).isPresent()) {
                sql.sql(", coalesce((");
                compiler.write(sql, requirements.get(i).get(), context);
                sql.sql("), false) AS r" + i);
            } else {
                sql.sql(", true AS r" + i);
            }
        }
        return sql.sql(" FROM users u) p").toQuery();
    }

    /** {@code SELECT count(*)} of the users matching {@code in} and not {@code notIn}. */
    public CompiledQuery countDifference(Rule in, Rule notIn, CompileContext context) {
        SqlWriter sql = new SqlWriter().sql("SELECT count(*) FROM users u WHERE ");
        difference(sql, in, notIn, context);
        return sql.toQuery();
    }

    /** The first {@code limit} users (in primary key order) matching {@code in} and not {@code notIn}: {@code id, email, user_id}. */
    public CompiledQuery sampleDifference(Rule in, Rule notIn, CompileContext context, int limit) {
        SqlWriter sql = new SqlWriter().sql("SELECT " + MEMBER_COLUMNS + " FROM users u WHERE ");
        difference(sql, in, notIn, context);
        return sql.sql(" ORDER BY u.id LIMIT ").param((long) limit).toQuery();
    }

    private void difference(SqlWriter sql, Rule in, Rule notIn, CompileContext context) {
        sql.sql("(");
        compiler.write(sql, in, context);
        sql.sql(") AND NOT (");
        compiler.write(sql, notIn, context);
        sql.sql(")");
    }

    /**
     * One row over all users (one scan, each rule a boolean column): the size of the union, of all users, then for
     * each {@code i <= j} in row-major order the size of rule i and rule j together (i = j: rule i's size).
     */
    public CompiledQuery overlap(List<Rule> rules, CompileContext context) {
        int n = rules.size();
        SqlWriter sql = new SqlWriter().sql("SELECT count(*) FILTER (WHERE ");
        for (int i = 0; i < n; i++) {
            sql.sql((i == 0 ? "" : " OR ") + "p.r" + i);
        }
        sql.sql("), count(*)");
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                sql.sql(", count(*) FILTER (WHERE p.r" + i + " AND p.r" + j + ")");
            }
        }
        sql.sql(" FROM (SELECT ");
        for (int i = 0; i < n; i++) {
            sql.sql(i == 0 ? "(" : ", (");
            compiler.write(sql, rules.get(i), context);
            sql.sql(") AS r" + i);
        }
        return sql.sql(" FROM users u) p").toQuery();
    }

    /** The primary keys of every matching user, ascending. */
    public CompiledQuery matchingIds(Rule rule, CompileContext context) {
        SqlWriter sql = new SqlWriter().sql("SELECT u.id FROM users u WHERE ");
        compiler.write(sql, rule, context);
        return sql.sql(" ORDER BY u.id").toQuery();
    }

    /** One row (none when the user is gone): per rule, whether the user with primary key {@code userPk} matches it. */
    public CompiledQuery matchedBy(long userPk, List<Rule> rules, CompileContext context) {
        SqlWriter sql = new SqlWriter().sql("SELECT ");
        for (int i = 0; i < rules.size(); i++) {
            sql.sql(i == 0 ? "(" : ", (");
            compiler.write(sql, rules.get(i), context);
            sql.sql(")");
        }
        return sql.sql(" FROM users u WHERE u.id = ").param(userPk).toQuery();
    }

    /**
     * {@code INSERT INTO <table> (segment_id, user_pk) SELECT v.segment_id, u.id FROM users u CROSS JOIN LATERAL
     * (VALUES (id1, <rule1>), …) v WHERE v.member}: one scan of {@code users} for several segments; the compiler's
     * uncorrelated {@code u.id IN (SELECT …)} event tests are hashed SubPlans built once for the statement, not per
     * user. {@code table} as in {@link #materialise}.
     */
    public CompiledQuery materialiseAll(List<Long> segmentIds, List<Rule> rules, CompileContext context, String table) {
        if (!TABLE_NAME.matcher(requireNonNull(table, "table is null")).matches()) {
            throw new IllegalArgumentException("not a membership table name: " + table);
        }
        SqlWriter sql = new SqlWriter().sql("INSERT INTO " + table + " (segment_id, user_pk) SELECT v.segment_id, u.id "
                + "FROM users u CROSS JOIN LATERAL (VALUES ");
        for (int i = 0; i < rules.size(); i++) {
            sql.sql(i == 0 ? "(" : ", (").param(segmentIds.get(i), compiler.dialect().cast(SqlDialect.BindType.BIGINT)).sql(", ");
            compiler.write(sql, rules.get(i), context);
            sql.sql(")");
        }
        return sql.sql(") v (segment_id, member) WHERE v.member").toQuery();
    }
}
