package dev.segmenta.persistence.segment;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.SegmentQueries;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes segment membership on the caller's transaction: the rule is materialised by SQL into a temporary
 * table (or an engine's answer is taken as it is), and {@link MembershipStore} — the one writer of membership,
 * change log, sizes and history — replaces the stored membership with it, appends a size snapshot and checks the
 * guard users. Previous size + entered − exited = new size, by construction.
 *
 * <p>{@link #run} does one segment; {@link #runShared} does several with one pass over {@code users} (every rule
 * is a column of a {@code LATERAL (VALUES …)} per user, so each uncorrelated event sub-select is hashed once for
 * all users) and one set of diff statements for all of them. Both write the same rows. The recompute service gets it
 * injected; the benchmark and tests construct it with a compiler. Every method works on a connection whose
 * transaction the caller commits.
 */
@Singleton
public class MembershipComputation {
    /** For the shared pass's transaction: hashes sets of a few million users (see {@link #runShared}). */
    static final String SHARED_WORK_MEM = "256MB";

    private static final String SQL = "sql";
    private static final String COLUMNAR = "columnar";

    private final SegmentQueries queries;

    public MembershipComputation(SegmentQueries queries) {
        this.queries = requireNonNull(queries, "queries is null");
    }

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
    public SegmentViews.Computation run(Connection c, Target target, CompileContext context, String cause, Instant at)
            throws SQLException {
        return run(c, target, context, cause, at, System.nanoTime(), null);
    }

    /** {@code fallback}: why SQL computes this segment though the columnar engine is configured (null otherwise). */
    SegmentViews.Computation run(Connection c, Target target, CompileContext context, String cause, Instant at,
            long startNanos, String fallback) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS segmenta_new_members (segment_id bigint NOT NULL, user_pk bigint NOT NULL) ON COMMIT DELETE ROWS");
            s.execute("TRUNCATE segmenta_new_members");
        }
        CompiledQuery fill = queries.materialise(target.rule(), context, "segmenta_new_members", target.segmentId());
        try (PreparedStatement ps = fill.prepare(c)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS segmenta_new_members_user ON segmenta_new_members (user_pk)");
            s.execute("ANALYZE segmenta_new_members");
        }
        MembershipStore.Written written = MembershipStore.replaceFromTable(c, target.segmentId(), "segmenta_new_members", at, cause);
        int duration = (int) ((System.nanoTime() - startNanos) / 1_000_000);
        return MembershipStore.recordComputation(c, target.segmentId(), target.version(), written, cause, at, duration, SQL, fallback);
    }

    /**
     * One segment whose members an engine already computed ({@code memberPks}, any order): the stored membership is
     * read, and only the users who entered or exited are written (change log rows, member rows), then size, history
     * and guards as in {@link #run}. Users deleted since the engine saw them are left out.
     */
    public SegmentViews.Computation runWith(Connection c, Target target, long[] memberPks, String cause, Instant at,
            long startNanos) throws SQLException {
        return runWith(c, target, memberPks, cause, at, startNanos, COLUMNAR);
    }

    /** {@link #runWith} for members computed by {@code engine} (e.g. {@code spark}), recorded as such in the history. */
    public static SegmentViews.Computation runWith(Connection c, Target target, long[] memberPks, String cause, Instant at,
            long startNanos, String engine) throws SQLException {
        MembershipStore.Written written = MembershipStore.replaceWith(c, target.segmentId(), memberPks, at, cause);
        int duration = (int) ((System.nanoTime() - startNanos) / 1_000_000);
        return MembershipStore.recordComputation(c, target.segmentId(), target.version(), written, cause, at, duration, engine, null);
    }

    /**
     * Several segments in one pass; the result is in the order of {@code targets}, keyed by segment id. Each
     * segment's {@code durationMs} is its equal share of the shared statements. A failing rule
     * (statement timeout, runtime error) fails the whole call: the caller rolls back and computes the segments
     * one by one to find it. Sets {@code work_mem} for the rest of the caller's transaction.
     */
    public Map<Long, SegmentViews.Computation> runShared(Connection c, List<Target> targets, CompileContext context, String cause,
            Instant at) throws SQLException {
        return runShared(c, targets, context, cause, at, null);
    }

    /** As above; {@code fallback}: why SQL computes these segments though the columnar engine is configured (null otherwise). */
    public Map<Long, SegmentViews.Computation> runShared(Connection c, List<Target> targets, CompileContext context, String cause,
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
        try (PreparedStatement ps = queries.materialiseAll(targets.stream().map(Target::segmentId).toList(), targets.stream().map(Target::rule).toList(),
                context, "segmenta_shared_members").prepare(c)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS segmenta_shared_members_key ON segmenta_shared_members (segment_id, user_pk)");
            s.execute("ANALYZE segmenta_shared_members");
        }
        Map<Long, MembershipStore.Written> written = MembershipStore.replaceAllFromTable(c,
                targets.stream().map(Target::segmentId).toList(), "segmenta_shared_members", at, cause);
        long sharedNanos = System.nanoTime() - startNanos;
        Map<Long, SegmentViews.Computation> out = new LinkedHashMap<>();
        int share = (int) (sharedNanos / targets.size() / 1_000_000);
        for (Target target : targets) {
            out.put(target.segmentId(), MembershipStore.recordComputation(c, target.segmentId(), target.version(),
                    written.get(target.segmentId()), cause, at, share, SQL, fallback));
        }
        return out;
    }
}
