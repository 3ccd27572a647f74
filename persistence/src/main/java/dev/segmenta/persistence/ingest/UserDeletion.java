package dev.segmenta.persistence.ingest;

import dev.segmenta.persistence.changelog.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Deletes a user and records, in the same transaction, that it left every segment it was in: a change-log row
 * {@code exited} with cause {@code deleted} (keeping the email and userId, since the user row is gone when the log
 * is read or a webhook delivers it), the segment's size minus one, and a size-history row so that
 * previous size + entered − exited = size still holds. The membership rows themselves go with the user (cascade).
 */
public final class UserDeletion {
    private UserDeletion() {}

    /** Deletes the user whose {@code column} ({@code email} or {@code user_id}) is {@code value}; false when none. */
    public static boolean delete(Connection c, boolean byEmail, String value, Instant now) throws SQLException {
        Optional<Long> pk = find(c, byEmail, value);
        if (pk.isEmpty()) {
            return false;
        }
        // Lock order as every other membership writer: segment rows (in id order), then the change-log append lock.
        TreeSet<Long> locked = new TreeSet<>(segmentsOf(c, pk.get()));
        lockSegments(c, locked);
        ChangeLog.lockForAppend(c);
        // Memberships are stable now (writers add them under the append lock); a segment joined between the first read
        // and the lock is locked as well.
        List<Long> segments = segmentsOf(c, pk.get());
        List<Long> late = segments.stream().filter(s -> !locked.contains(s)).toList();
        lockSegments(c, late);
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement change = c.prepareStatement("INSERT INTO segment_changes (segment_id, user_pk, at, change, cause, email, user_id) "
                + "SELECT ?, u.id, ?, 'exited', 'deleted', u.email, u.user_id FROM users u WHERE u.id = ?");
                PreparedStatement size = c.prepareStatement("UPDATE segments SET size = size - 1 WHERE id = ? RETURNING size, version");
                PreparedStatement history = c.prepareStatement("INSERT INTO segment_size_history (segment_id, at, size, entered, exited, "
                        + "duration_ms, cause, version) VALUES (?, ?, ?, 0, 1, 0, 'deleted', ?)")) {
            for (long segment : segments) {
                change.setLong(1, segment);
                change.setTimestamp(2, at);
                change.setLong(3, pk.get());
                change.executeUpdate();
                size.setLong(1, segment);
                try (ResultSet rs = size.executeQuery()) {
                    rs.next();
                    history.setLong(1, segment);
                    history.setTimestamp(2, at);
                    history.setLong(3, rs.getLong(1));
                    history.setInt(4, rs.getInt(2));
                }
                history.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            ps.setLong(1, pk.get());
            return ps.executeUpdate() > 0;
        }
    }

    private static Optional<Long> find(Connection c, boolean byEmail, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(byEmail ? "SELECT id FROM users WHERE email = ?" : "SELECT id FROM users WHERE user_id = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static List<Long> segmentsOf(Connection c, long userPk) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT segment_id FROM segment_members WHERE user_pk = ? ORDER BY segment_id")) {
            ps.setLong(1, userPk);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static void lockSegments(Connection c, Iterable<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM segments WHERE id = ? FOR UPDATE")) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.executeQuery().close();
            }
        }
    }
}
