package dev.segmenta.persistence.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.sql.QueryRunner;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code alerts} table (Panache, {@link AlertEntity}) and what alert detection reads from the membership side
 * (plain JDBC: guard states and the sizes of recent runs, written with the membership). Deciding whether something
 * is worth an alert is the scheduler's; this class only stores and reads.
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
    @Transactional
    public Alert record(Long segmentId, String kind, String message, Map<String, Object> details) {
        AlertEntity row = new AlertEntity();
        row.segmentId = segmentId;
        // PostgreSQL keeps microseconds; the returned alert says what was stored.
        row.at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        row.kind = kind;
        row.message = message;
        row.details = write(details);
        row.persist();
        return new Alert(row.id, segmentId, null, row.at, kind, message, details);
    }

    /** Newest first; {@code segmentId} null for every segment. */
    @Transactional
    public List<Alert> list(Long segmentId, int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        return views(AlertEntity.<AlertEntity>find("from AlertEntity a left join fetch a.segment "
                + "where (:segmentId is null or a.segmentId = :segmentId) order by a.id desc", Parameters.with("segmentId", segmentId))
                .page(0, n).list());
    }

    /** Alerts after {@code cursor} in id order, for delivery; {@code segmentId} null for every segment. */
    @Transactional
    public List<Alert> after(long cursor, Long segmentId, int limit) {
        return views(AlertEntity.<AlertEntity>find("from AlertEntity a left join fetch a.segment "
                + "where a.id > :cursor and (:segmentId is null or a.segmentId = :segmentId) order by a.id",
                Parameters.with("cursor", cursor).and("segmentId", segmentId)).page(0, limit).list());
    }

    /** The id of the newest alert, 0 when there is none: where a new webhook's alert cursor starts. */
    @Transactional
    public long latestId() {
        Long max = AlertEntity.getEntityManager().createQuery("select max(a.id) from AlertEntity a", Long.class).getSingleResult();
        return max == null ? 0 : max;
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

    Alert view(AlertEntity a) {
        try {
            return new Alert(a.id, a.segmentId, a.segment == null ? null : a.segment.name, a.at, a.kind, a.message, json.readValue(a.details, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Alert> views(List<AlertEntity> rows) {
        return rows.stream().map(this::view).toList();
    }

    private String write(Map<String, Object> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
