package dev.segmenta.bench;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.SegmentQueries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * One segment's recompute, the statements of persistence's MembershipComputation (package-private and bound to
 * the CDI SegmentService, so repeated here statement for statement, less the guard-user check): materialise into
 * a temporary table, log entered and exited users, replace the stored membership, record the size.
 */
final class Recompute {
    private Recompute() {}

    /** Returns {size, entered, exited}. The caller commits. */
    static long[] one(Connection c, SegmentQueries queries, long segmentId, Rule rule, CompileContext context, Instant at)
            throws SQLException {
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS segmenta_new_members (segment_id bigint NOT NULL, user_pk bigint NOT NULL) ON COMMIT DELETE ROWS");
            s.execute("TRUNCATE segmenta_new_members");
        }
        CompiledQuery fill = queries.materialise(rule, context, "segmenta_new_members", segmentId);
        try (PreparedStatement ps = fill.prepare(c)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS segmenta_new_members_user ON segmenta_new_members (user_pk)");
            s.execute("ANALYZE segmenta_new_members");
        }
        Timestamp t = Timestamp.from(at);
        long entered = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, n.user_pk, ?, 'entered', 'recompute' "
                + "FROM segmenta_new_members n WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.user_pk = n.user_pk)",
                segmentId, t, segmentId);
        long exited = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, m.user_pk, ?, 'exited', 'recompute' "
                + "FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS (SELECT 1 FROM segmenta_new_members n WHERE n.user_pk = m.user_pk)",
                segmentId, t, segmentId);
        update(c, "DELETE FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM segmenta_new_members n WHERE n.user_pk = m.user_pk)", segmentId);
        update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT ?, n.user_pk, ? FROM segmenta_new_members n "
                + "ON CONFLICT DO NOTHING", segmentId, t);
        long size;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM segment_members WHERE segment_id = ?")) {
            ps.setLong(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
        }
        int duration = (int) ((System.nanoTime() - started) / 1_000_000);
        update(c, "UPDATE segments SET size = ?, last_computed_at = ?, last_duration_ms = ?, last_error = NULL WHERE id = ?",
                size, t, duration, segmentId);
        update(c, "INSERT INTO segment_size_history (segment_id, at, size, entered, exited, duration_ms, cause, version) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'recompute', 1)", segmentId, t, size, entered, exited, duration);
        return new long[] {size, entered, exited};
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
