package dev.segmenta.persistence.segment;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.PostgresDialect;
import dev.segmenta.persistence.sql.SegmentQueries;
import dev.segmenta.persistence.sql.SqlCompiler;
import dev.segmenta.persistence.sql.SqlWriter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes segment membership on the caller's transaction: the rule is materialised into a temporary table,
 * diffed against the stored membership (entered / exited rows in the change log, with the cause), the stored
 * membership replaced, a size snapshot appended, and the guard users checked. Previous size + entered − exited =
 * new size, by construction.
 *
 * <p>{@link #run} does one segment; {@link #runShared} does several with one pass over {@code users} (every rule
 * is a column of a {@code LATERAL (VALUES …)} per user, so each uncorrelated event sub-select is hashed once for
 * all users) and one set of diff statements for all of them. Both write the same rows. Neither needs CDI: the
 * service and the benchmark call them with a connection whose transaction they commit.
 */
public final class MembershipComputation {
    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);
    private static final SegmentQueries QUERIES = new SegmentQueries(COMPILER);
    /** For the shared pass's transaction: hashes sets of a few million users (see {@link #runShared}). */
    static final String SHARED_WORK_MEM = "256MB";

    private static final String SQL = "sql";
    private static final String COLUMNAR = "columnar";

    private MembershipComputation() {}

    /** A segment to compute: its id, the definition version recorded in the size history, and its rule. */
    public record Target(long segmentId, int version, Rule rule) {
        public Target {
            requireNonNull(rule, "rule is null");
        }

        public static Target of(Segment segment) {
            return new Target(segment.id(), segment.version(), segment.rule());
        }
    }

    /** One segment, timed from now. */
    public static SegmentViews.Computation run(Connection c, Target target, CompileContext context, String cause, Instant at)
            throws SQLException {
        return run(c, target, context, cause, at, System.nanoTime(), null);
    }

    /** {@code fallback}: why SQL computes this segment though the columnar engine is configured (null otherwise). */
    static SegmentViews.Computation run(Connection c, Target target, CompileContext context, String cause, Instant at,
            long startNanos, String fallback) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS segmenta_new_members (segment_id bigint NOT NULL, user_pk bigint NOT NULL) ON COMMIT DELETE ROWS");
            s.execute("TRUNCATE segmenta_new_members");
        }
        CompiledQuery fill = QUERIES.materialise(target.rule(), context, "segmenta_new_members", target.segmentId());
        try (PreparedStatement ps = fill.prepare(c)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS segmenta_new_members_user ON segmenta_new_members (user_pk)");
            s.execute("ANALYZE segmenta_new_members");
        }
        long id = target.segmentId();
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        long entered = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, n.user_pk, ?, 'entered', ? "
                + "FROM segmenta_new_members n WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.user_pk = n.user_pk)",
                id, t, cause, id);
        long exited = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, m.user_pk, ?, 'exited', ? "
                + "FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS (SELECT 1 FROM segmenta_new_members n WHERE n.user_pk = m.user_pk)",
                id, t, cause, id);
        update(c, "DELETE FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM segmenta_new_members n WHERE n.user_pk = m.user_pk)", id);
        update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT ?, n.user_pk, ? FROM segmenta_new_members n "
                + "ON CONFLICT DO NOTHING", id, t);
        long size;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM segment_members WHERE segment_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
        }
        int duration = (int) ((System.nanoTime() - startNanos) / 1_000_000);
        return record(c, target, cause, t, size, entered, exited, duration, SQL, fallback);
    }

    /**
     * One segment whose members an engine already computed ({@code memberPks}, any order): the stored membership is
     * read, and only the users who entered or exited are written (change log rows, member rows), then size, history
     * and guards as in {@link #run}. Users deleted since the engine saw them are left out.
     */
    public static SegmentViews.Computation runWith(Connection c, Target target, long[] memberPks, String cause, Instant at,
            long startNanos) throws SQLException {
        return runWith(c, target, memberPks, cause, at, startNanos, COLUMNAR);
    }

    /** {@link #runWith} for members computed by {@code engine} (e.g. {@code spark}), recorded as such in the history. */
    public static SegmentViews.Computation runWith(Connection c, Target target, long[] memberPks, String cause, Instant at,
            long startNanos, String engine) throws SQLException {
        long id = target.segmentId();
        long[] members = memberPks.clone();
        java.util.Arrays.sort(members);
        long[] stored;
        try (PreparedStatement ps = c.prepareStatement("SELECT user_pk FROM segment_members WHERE segment_id = ? ORDER BY user_pk")) {
            ps.setLong(1, id);
            ps.setFetchSize(10_000);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            stored = out.stream().mapToLong(Long::longValue).toArray();
        }
        Long[] entering = difference(members, stored);
        Long[] exiting = difference(stored, members);
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        long entered = 0;
        long exited = 0;
        if (entering.length > 0) {
            Array pks = c.createArrayOf("bigint", entering);
            // Only users that still exist: the change log and the membership must name the same users.
            entered = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, u.id, ?, 'entered', ? "
                    + "FROM users u WHERE u.id = ANY (?) ORDER BY u.id", id, t, cause, pks);
            update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT ?, u.id, ? FROM users u WHERE u.id = ANY (?) "
                    + "ON CONFLICT DO NOTHING", id, t, pks);
        }
        if (exiting.length > 0) {
            Array pks = c.createArrayOf("bigint", exiting);
            exited = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, x, ?, 'exited', ? "
                    + "FROM unnest(?::bigint[]) x ORDER BY x", id, t, cause, pks);
            update(c, "DELETE FROM segment_members WHERE segment_id = ? AND user_pk = ANY (?)", id, pks);
        }
        long size;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM segment_members WHERE segment_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
        }
        int duration = (int) ((System.nanoTime() - startNanos) / 1_000_000);
        return record(c, target, cause, t, size, entered, exited, duration, engine, null);
    }

    /** The elements of sorted {@code a} that are not in sorted {@code b}. */
    private static Long[] difference(long[] a, long[] b) {
        List<Long> out = new ArrayList<>();
        int j = 0;
        for (long x : a) {
            while (j < b.length && b[j] < x) {
                j++;
            }
            if (j >= b.length || b[j] != x) {
                out.add(x);
            }
        }
        return out.toArray(Long[]::new);
    }

    /**
     * Several segments in one pass; the result is in the order of {@code targets}, keyed by segment id. Each
     * segment's {@code durationMs} is its equal share of the shared statements. A failing rule
     * (statement timeout, runtime error) fails the whole call: the caller rolls back and computes the segments
     * one by one to find it. Sets {@code work_mem} for the rest of the caller's transaction.
     */
    public static Map<Long, SegmentViews.Computation> runShared(Connection c, List<Target> targets, CompileContext context, String cause,
            Instant at) throws SQLException {
        return runShared(c, targets, context, cause, at, null);
    }

    /** As above; {@code fallback}: why SQL computes these segments though the columnar engine is configured (null otherwise). */
    public static Map<Long, SegmentViews.Computation> runShared(Connection c, List<Target> targets, CompileContext context, String cause,
            Instant at, String fallback) throws SQLException {
        long startNanos = System.nanoTime();
        if (targets.isEmpty()) {
            return Map.of();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS segmenta_shared_members (segment_id bigint NOT NULL, user_pk bigint NOT NULL) "
                    + "ON COMMIT DELETE ROWS");
            s.execute("TRUNCATE segmenta_shared_members");
        }
        try (Statement s = c.createStatement()) {
            // Under VALUES every event test is an expression, never a semi-join: each IN (SELECT …) must be a hashed
            // SubPlan. The planner hashes only sets it expects to fit in work_mem × hash_mem_multiplier (8 MB by
            // default, ~100k users); a larger one becomes a plain SubPlan rescanned per user (at 100k users with
            // work_mem 64kB two count rules went from 0.3 s to > 120 s). Memory used is the sets' real size.
            s.execute("SET LOCAL work_mem = '" + SHARED_WORK_MEM + "'");
        }
        try (PreparedStatement ps = sharedFill(targets, context).prepare(c)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS segmenta_shared_members_key ON segmenta_shared_members (segment_id, user_pk)");
            s.execute("ANALYZE segmenta_shared_members");
        }
        Long[] idList = targets.stream().map(Target::segmentId).toArray(Long[]::new);
        Array ids = c.createArrayOf("bigint", idList);
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        Map<Long, Long> entered = counts(c, "WITH logged AS (INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) "
                + "SELECT n.segment_id, n.user_pk, ?, 'entered', ? FROM segmenta_shared_members n WHERE NOT EXISTS "
                + "(SELECT 1 FROM segment_members m WHERE m.segment_id = n.segment_id AND m.user_pk = n.user_pk) "
                + "ORDER BY n.segment_id, n.user_pk RETURNING segment_id) SELECT segment_id, count(*) FROM logged GROUP BY segment_id",
                t, cause);
        Map<Long, Long> exited = counts(c, "WITH logged AS (INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) "
                + "SELECT m.segment_id, m.user_pk, ?, 'exited', ? FROM segment_members m WHERE m.segment_id = ANY (?) AND NOT EXISTS "
                + "(SELECT 1 FROM segmenta_shared_members n WHERE n.segment_id = m.segment_id AND n.user_pk = m.user_pk) "
                + "ORDER BY m.segment_id, m.user_pk RETURNING segment_id) SELECT segment_id, count(*) FROM logged GROUP BY segment_id",
                t, cause, ids);
        update(c, "DELETE FROM segment_members m WHERE m.segment_id = ANY (?) AND NOT EXISTS "
                + "(SELECT 1 FROM segmenta_shared_members n WHERE n.segment_id = m.segment_id AND n.user_pk = m.user_pk)", ids);
        update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT n.segment_id, n.user_pk, ? FROM segmenta_shared_members n "
                + "ON CONFLICT DO NOTHING", t);
        Map<Long, Long> sizes = counts(c, "SELECT segment_id, count(*) FROM segment_members WHERE segment_id = ANY (?) GROUP BY segment_id", ids);
        long sharedNanos = System.nanoTime() - startNanos;
        Map<Long, SegmentViews.Computation> out = new LinkedHashMap<>();
        int share = (int) (sharedNanos / targets.size() / 1_000_000);
        for (Target target : targets) {
            long id = target.segmentId();
            out.put(id, record(c, target, cause, t, sizes.getOrDefault(id, 0L), entered.getOrDefault(id, 0L), exited.getOrDefault(id, 0L),
                    share, SQL, fallback));
        }
        return out;
    }

    /**
     * {@code INSERT … SELECT v.segment_id, u.id FROM users u CROSS JOIN LATERAL (VALUES (id1, <rule1>), …) v WHERE
     * v.member}: one scan of {@code users}; the compiler's uncorrelated {@code u.id IN (SELECT …)} event tests are
     * hashed SubPlans built once for the statement, not per user.
     */
    static CompiledQuery sharedFill(List<Target> targets, CompileContext context) {
        SqlWriter sql = new SqlWriter().sql("INSERT INTO segmenta_shared_members (segment_id, user_pk) SELECT v.segment_id, u.id "
                + "FROM users u CROSS JOIN LATERAL (VALUES ");
        for (int i = 0; i < targets.size(); i++) {
            sql.sql(i == 0 ? "(" : ", (").param(targets.get(i).segmentId(), "::bigint").sql(", ");
            COMPILER.write(sql, targets.get(i).rule(), context);
            sql.sql(")");
        }
        return sql.sql(") v (segment_id, member) WHERE v.member").toQuery();
    }

    /**
     * Stores size and history for one computed segment (with the engine that computed it and why SQL did, if it
     * was a fallback) and checks its guards; {@code duration} is recorded as given.
     */
    private static SegmentViews.Computation record(Connection c, Target target, String cause, Timestamp at, long size, long entered,
            long exited, int duration, String engine, String fallback) throws SQLException {
        update(c, "UPDATE segments SET size = ?, last_computed_at = ?, last_duration_ms = ?, last_error = NULL WHERE id = ?",
                size, at, duration, target.segmentId());
        update(c, "INSERT INTO segment_size_history (segment_id, at, size, entered, exited, duration_ms, cause, version, engine, "
                + "engine_fallback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", target.segmentId(), at, size, entered, exited, duration, cause,
                target.version(), engine, fallback);
        return new SegmentViews.Computation(size, entered, exited, duration, checkGuards(c, target.segmentId()), engine, fallback);
    }

    /** Records each guard user's current membership; returns those whose membership is not what was pinned. */
    private static List<SegmentViews.GuardFlip> checkGuards(Connection c, long segmentId) throws SQLException {
        update(c, "UPDATE segment_guards g SET last_result = EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = g.segment_id "
                + "AND m.user_pk = g.user_pk) WHERE g.segment_id = ?", segmentId);
        List<SegmentViews.GuardFlip> flips = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT g.user_pk, u.email, u.user_id, g.expect_in FROM segment_guards g "
                + "JOIN users u ON u.id = g.user_pk WHERE g.segment_id = ? AND g.last_result <> g.expect_in ORDER BY g.user_pk")) {
            ps.setLong(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flips.add(new SegmentViews.GuardFlip(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return flips;
    }

    private static Map<Long, Long> counts(Connection c, String sql, Object... params) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
