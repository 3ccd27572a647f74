package dev.segmenta.persistence.segment;

import dev.segmenta.core.text.RuleJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The segment rows as JDBC work reads them on its own connection (recompute, Spark, explanations, freezing): the row
 * lock a recompute takes, the names a rule refers to. Segments are written only through {@link SegmentEntity} by
 * {@link SegmentStore}.
 */
final class SegmentRepository {
    private static final String COLUMNS = "id, name, description, kind, dsl, rule::text, version, created_at, created_by, "
            + "updated_at, updated_by, size, last_computed_at, last_duration_ms, last_error";

    private SegmentRepository() {}

    static List<Segment> all(Connection c) throws SQLException {
        List<Segment> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM segments ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    static Optional<Segment> find(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM segments WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static Optional<Segment> findByName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM segments WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static boolean isMember(Connection c, long segmentId, long userPk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM segment_members WHERE segment_id = ? AND user_pk = ?")) {
            ps.setLong(1, segmentId);
            ps.setLong(2, userPk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether a list has this name (segments and lists share one namespace). */
    static boolean listNamed(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM lists WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Segment read(ResultSet rs) throws SQLException {
        Timestamp computed = rs.getTimestamp(13);
        return new Segment(rs.getLong(1), rs.getString(2), rs.getString(3), Segment.Kind.fromLabel(rs.getString(4)), rs.getString(5),
                RuleJson.read(rs.getString(6)), rs.getInt(7), rs.getTimestamp(8).toInstant(), rs.getString(9),
                rs.getTimestamp(10).toInstant(), rs.getString(11), rs.getLong(12), computed == null ? null : computed.toInstant(),
                (Integer) rs.getObject(14), rs.getString(15));
    }
}
