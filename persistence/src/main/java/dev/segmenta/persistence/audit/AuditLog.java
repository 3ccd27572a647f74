package dev.segmenta.persistence.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Who changed what, when, with the before and after state: written in the same transaction as the change. A change
 * made in a JTA transaction (entities, {@code @Transactional}) records through {@link #record(String, String, String,
 * String, Object, Object)}, which persists an {@link AuditEntryEntity} in it; a change made on a JDBC connection of its
 * own records with {@link #record(Connection, String, String, String, String, Object, Object)} on that connection.
 */
@ApplicationScoped
public class AuditLog {
    /** One row as stored; {@code before} and {@code after} are JSON text, or null. */
    public record Entry(long id, java.time.Instant at, String actor, String action, String entityType, String entityId, String before,
            String after) {}

    private final Clock clock;
    private final ObjectMapper json;

    public AuditLog(Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    /** Records in the caller's JTA transaction (or in one of its own when there is none). */
    @Transactional
    public void record(String actor, String action, String entityType, String entityId, Object before, Object after) {
        AuditEntryEntity e = new AuditEntryEntity();
        e.at = clock.instant();
        e.actor = actor;
        e.action = action;
        e.entityType = entityType;
        e.entityId = entityId;
        e.before = text(before);
        e.after = text(after);
        e.persist();
    }

    /** Writes the row on {@code c}, so it commits or rolls back with the JDBC change it describes. */
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
    @Transactional
    public List<Entry> page(Long beforeId, String actor, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (beforeId != null) {
            where.add("id < :before");
            params.and("before", beforeId);
        }
        if (actor != null) {
            where.add("actor = :actor");
            params.and("actor", actor);
        }
        Sort newestFirst = Sort.descending("id");
        var query = where.isEmpty() ? AuditEntryEntity.<AuditEntryEntity>findAll(newestFirst)
                : AuditEntryEntity.<AuditEntryEntity>find(String.join(" and ", where), newestFirst, params);
        return query.page(Page.ofSize(limit)).list().stream().map(AuditEntryEntity::view).toList();
    }

    private String text(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit value is not serialisable", e);
        }
    }

    private void setJson(PreparedStatement ps, int index, Object value) throws SQLException {
        String text = text(value);
        if (text == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setString(index, text);
        }
    }
}
