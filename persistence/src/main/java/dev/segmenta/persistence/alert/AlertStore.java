package dev.segmenta.persistence.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.segment.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code alerts} table and what alert detection reads: guard states and the sizes of recent runs. Deciding
 * whether something is worth an alert is the scheduler's; this class only stores and reads.
 */
@ApplicationScoped
public class AlertStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final QueryRunner runner;
    private final ObjectMapper json;
    private final Clock clock;

    public AlertStore(QueryRunner runner, ObjectMapper json, Clock clock) {
        this.runner = runner;
        this.json = json;
        this.clock = clock;
    }

    /** Stores an alert raised now; {@code segmentName} of the returned alert is null. */
    public Alert record(Long segmentId, String kind, String message, Map<String, Object> details) {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (segment_id, at, kind, message, details) "
                    + "VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id, at")) {
                ps.setObject(1, segmentId);
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.setString(3, kind);
                ps.setString(4, message);
                ps.setString(5, json.writeValueAsString(details));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Alert(rs.getLong(1), segmentId, null, rs.getTimestamp(2).toInstant(), kind, message, details);
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Newest first; {@code segmentId} null for every segment. */
    public List<Alert> list(Long segmentId, int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        return runner.inTransaction(c -> query(c, "SELECT a.id, a.segment_id, s.name, a.at, a.kind, a.message, a.details::text FROM alerts a "
                + "LEFT JOIN segments s ON s.id = a.segment_id WHERE (?::bigint IS NULL OR a.segment_id = ?) ORDER BY a.id DESC LIMIT ?",
                segmentId, segmentId, n));
    }

    /** Alerts after {@code cursor} in id order, for delivery; {@code segmentId} null for every segment. */
    public List<Alert> after(long cursor, Long segmentId, int limit) {
        return runner.inTransaction(c -> query(c, "SELECT a.id, a.segment_id, s.name, a.at, a.kind, a.message, a.details::text FROM alerts a "
                + "LEFT JOIN segments s ON s.id = a.segment_id WHERE a.id > ? AND (?::bigint IS NULL OR a.segment_id = ?) ORDER BY a.id LIMIT ?",
                cursor, segmentId, segmentId, limit));
    }

    /** Per guard user, whether their last recorded membership matched the pin (null when never checked). */
    public Map<Long, Boolean> guardStates(long segmentId) {
        return runner.inTransaction(c -> {
            Map<Long, Boolean> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT user_pk, last_result = expect_in FROM segment_guards WHERE segment_id = ?")) {
                ps.setLong(1, segmentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), (Boolean) rs.getObject(2));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Sizes of at most {@code window} full computations before the latest one, newest first, back to the last
     * definition change (a new definition is expected to move the size). Real-time adjustments are left out: they
     * are not runs.
     */
    public List<Long> previousSizes(long segmentId, int window) {
        return runner.inTransaction(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("WITH runs AS (SELECT id, size, cause FROM segment_size_history "
                    + "WHERE segment_id = ? AND cause IN ('time', 'recompute', 'definition') ORDER BY id DESC LIMIT ?) "
                    + "SELECT size, cause FROM runs ORDER BY id DESC OFFSET 1")) {
                ps.setLong(1, segmentId);
                ps.setInt(2, window + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                        if ("definition".equals(rs.getString(2))) {
                            break;
                        }
                    }
                }
            }
            return out;
        });
    }

    private List<Alert> query(Connection c, String sql, Object... params) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Alert(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5),
                            rs.getString(6), json.readValue(rs.getString(7), MAP)));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
