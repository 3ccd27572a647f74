package dev.segmenta.persistence.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Who changed what, when, with the before and after state: written in the same transaction as the change. */
@ApplicationScoped
public class AuditLog {
    /** One row as stored; {@code before} and {@code after} are JSON text, or null. */
    public record Entry(long id, Instant at, String actor, String action, String entityType, String entityId, String before, String after) {}

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final ObjectMapper json;

    public AuditLog(AgroalDataSource dataSource, Clock clock, ObjectMapper json) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.json = json;
    }

    public void record(String actor, String action, String entityType, String entityId, Object before, Object after) {
        try (Connection c = dataSource.getConnection()) {
            record(c, actor, action, entityType, entityId, before, after);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit log", e);
        }
    }

    /** Writes the row on {@code c}, so it commits or rolls back with the change it describes. */
    public void record(Connection c, String actor, String action, String entityType, String entityId, Object before, Object after) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor, action, entity_type, entity_id, before, after) "
                        + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, entityType);
            ps.setString(5, entityId);
            setJson(ps, 6, before);
            setJson(ps, 7, after);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit log", e);
        }
    }

    /** Newest first: up to {@code limit} entries with an id below {@code beforeId} (all when null), by {@code actor} when given. */
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
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log", e);
        }
    }

    private void setJson(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
            return;
        }
        try {
            ps.setString(index, json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit value is not serialisable", e);
        }
    }
}
