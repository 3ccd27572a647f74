package dev.segmenta.persistence.segment;

import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.view.SegmentViews;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Segment rows and their versions, on the caller's connection (so they share its transaction). */
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

    static long insert(Connection c, String name, String description, Segment.Kind kind, Definition d, String actor, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segments (name, description, kind, dsl, rule, version, created_at, "
                + "created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?::jsonb, 1, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setString(3, kind.label());
            ps.setString(4, d.dsl());
            ps.setString(5, RuleJson.write(d.rule()));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, actor);
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setString(9, actor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    static void update(Connection c, long id, String name, String description, Definition d, int version, String actor, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE segments SET name = ?, description = ?, dsl = ?, rule = ?::jsonb, "
                + "version = ?, updated_at = ?, updated_by = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setString(3, d.dsl());
            ps.setString(4, RuleJson.write(d.rule()));
            ps.setInt(5, version);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, actor);
            ps.setLong(8, id);
            ps.executeUpdate();
        }
    }

    static void insertVersion(Connection c, long id, int version, String name, String description, Definition d, String actor,
            Instant now, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_versions (segment_id, version, name, description, dsl, rule, "
                + "saved_at, saved_by, note) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setInt(2, version);
            ps.setString(3, name);
            ps.setString(4, description);
            ps.setString(5, d.dsl());
            ps.setString(6, RuleJson.write(d.rule()));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setString(8, actor);
            ps.setString(9, note);
            ps.executeUpdate();
        }
    }

    static List<SegmentViews.Version> versions(Connection c, long id) throws SQLException {
        List<SegmentViews.Version> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, name, description, dsl, saved_at, saved_by, note "
                + "FROM segment_versions WHERE segment_id = ? ORDER BY version DESC")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SegmentViews.Version(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    static Optional<String> versionDsl(Connection c, long id, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT dsl FROM segment_versions WHERE segment_id = ? AND version = ?")) {
            ps.setLong(1, id);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM segments WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
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
