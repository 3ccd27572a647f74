package dev.segmenta.web.ui;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the audit log newest first, for the admin page. */
@ApplicationScoped
public class AuditEntries {
    public record Entry(long id, String at, String actor, String action, String entityType, String entityId, String before, String after) {}

    private final AgroalDataSource dataSource;

    public AuditEntries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} entries older than {@code beforeId} (all when null). */
    public List<Entry> page(Long beforeId, String actor, int limit) {
        String sql = "SELECT id, at, actor, action, entity_type, entity_id, before::text, after::text FROM audit_log "
                + "WHERE (?::bigint IS NULL OR id < ?) AND (?::text IS NULL OR actor = ?) ORDER BY id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, beforeId);
            ps.setObject(2, beforeId);
            ps.setString(3, actor);
            ps.setString(4, actor);
            ps.setInt(5, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), Times.exact(rs.getTimestamp(2).toInstant()), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log", e);
        }
    }
}
