package dev.segmenta.persistence.segment;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes one segment's membership on the caller's transaction: the rule is materialised into a temporary
 * table, diffed against the stored membership (entered / exited rows in the change log, with the cause), the
 * stored membership replaced, a size snapshot appended, and the guard users checked. Previous size + entered −
 * exited = new size, by construction.
 */
final class MembershipComputation {
    private MembershipComputation() {}

    static SegmentViews.Computation run(Connection c, SegmentQueries queries, Segment segment, CompileContext context, String cause,
            Instant started, long startNanos) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS segmenta_new_members (segment_id bigint NOT NULL, user_pk bigint NOT NULL) ON COMMIT DELETE ROWS");
            s.execute("TRUNCATE segmenta_new_members");
        }
        CompiledQuery fill = queries.materialise(segment.rule(), context, "segmenta_new_members", segment.id());
        try (PreparedStatement ps = fill.prepare(c)) {
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS segmenta_new_members_user ON segmenta_new_members (user_pk)");
            s.execute("ANALYZE segmenta_new_members");
        }
        Timestamp at = Timestamp.from(started);
        ChangeLog.lockForAppend(c);
        long entered = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, n.user_pk, ?, 'entered', ? "
                + "FROM segmenta_new_members n WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.user_pk = n.user_pk)",
                segment.id(), at, cause, segment.id());
        long exited = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, m.user_pk, ?, 'exited', ? "
                + "FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS (SELECT 1 FROM segmenta_new_members n WHERE n.user_pk = m.user_pk)",
                segment.id(), at, cause, segment.id());
        update(c, "DELETE FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM segmenta_new_members n WHERE n.user_pk = m.user_pk)", segment.id());
        update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT ?, n.user_pk, ? FROM segmenta_new_members n "
                + "ON CONFLICT DO NOTHING", segment.id(), at);
        long size;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM segment_members WHERE segment_id = ?")) {
            ps.setLong(1, segment.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
        }
        int duration = (int) ((System.nanoTime() - startNanos) / 1_000_000);
        update(c, "UPDATE segments SET size = ?, last_computed_at = ?, last_duration_ms = ?, last_error = NULL WHERE id = ?",
                size, at, duration, segment.id());
        update(c, "INSERT INTO segment_size_history (segment_id, at, size, entered, exited, duration_ms, cause, version) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", segment.id(), at, size, entered, exited, duration, cause, segment.version());
        return new SegmentViews.Computation(size, entered, exited, duration, checkGuards(c, segment.id()));
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

    static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
