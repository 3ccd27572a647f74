package dev.segmenta.persistence.sql;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Rule;
import java.util.regex.Pattern;

/**
 * The statements the segment store runs for a rule, each one parameterised {@link CompiledQuery}: count, a
 * random sample, keyset-paged members and materialisation into a membership table.
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
        return sql.sql(" ORDER BY " + compiler.dialect().randomOrder() + " LIMIT ").param((long) size, "::bigint")
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
                .param(afterId, "::bigint").sql(" AND ");
        compiler.write(sql, rule, context);
        return sql.sql(" ORDER BY u.id LIMIT ").param((long) limit, "::bigint").toQuery();
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
                + " (segment_id, user_pk) SELECT ").param(segmentId, "::bigint").sql(", u.id FROM users u WHERE ");
        compiler.write(sql, rule, context);
        return sql.toQuery();
    }
}
