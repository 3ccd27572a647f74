package dev.segmenta.scheduler.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Raises alerts after a scheduled run: a size outside the band around the median of the recent full computations
 * ({@code segmenta.alerts.size-change}), and guard users whose membership newly differs from what was pinned.
 * Alerts are stored; webhooks pick them up from the table like membership changes.
 */
@ApplicationScoped
public class AlertService {
    private static final Logger LOG = Logger.getLogger(AlertService.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final QueryRunner runner;
    private final ObjectMapper json;
    private final Clock clock;
    private final SegmentaConfig config;

    public AlertService(QueryRunner runner, ObjectMapper json, Clock clock, SegmentaConfig config) {
        this.runner = runner;
        this.json = json;
        this.clock = clock;
        this.config = config;
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

    /** Checks the computation just stored for {@code segment}; {@code guardsBefore} is {@link #guardStates} taken before it. */
    public List<Alert> afterRun(Segment segment, SegmentViews.Computation computed, Map<Long, Boolean> guardsBefore) {
        List<Alert> raised = new ArrayList<>();
        // A guard that was already failing was reported when it flipped; report only new flips.
        List<SegmentViews.GuardFlip> flipped = computed.guardFailures().stream()
                .filter(f -> !Boolean.FALSE.equals(guardsBefore.get(f.userPk()))).toList();
        if (!flipped.isEmpty()) {
            List<Map<String, Object>> users = new ArrayList<>();
            for (SegmentViews.GuardFlip f : flipped) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("userPk", f.userPk());
                u.put("email", f.email());
                u.put("userId", f.userId());
                u.put("expected", f.expectedIn() ? "in" : "out");
                u.put("actual", f.expectedIn() ? "out" : "in");
                users.add(u);
            }
            String who = flipped.get(0).email() != null ? flipped.get(0).email() : flipped.get(0).userId();
            String message = "Guard user " + who + (flipped.size() > 1 ? " and " + (flipped.size() - 1) + " more" : "") + " of segment '"
                    + segment.name() + "' " + (flipped.get(0).expectedIn() ? "is no longer in it" : "is now in it") + ", against the pin";
            raised.add(record(segment.id(), "guard", message, Map.of("users", users)));
        }
        List<Long> previous = previousSizes(segment.id());
        Optional<Double> change = SizeAnomaly.of(computed.size(), previous, config.alerts().sizeChange());
        if (change.isPresent()) {
            double median = SizeAnomaly.median(previous);
            String message = String.format(java.util.Locale.ROOT, "Segment '%s' %s to %d from a median of %s over the last %d runs (%+.0f %%)",
                    segment.name(), change.get() > 0 ? "grew" : "shrank", computed.size(), trim(median), previous.size(), change.get() * 100);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("size", computed.size());
            details.put("median", median);
            details.put("change", change.get());
            details.put("threshold", config.alerts().sizeChange());
            details.put("previous", previous);
            raised.add(record(segment.id(), "size-change", message, details));
        }
        return raised;
    }

    /**
     * Sizes of the full computations before the latest one, newest first, back to the last definition change (a
     * new definition is expected to move the size). Real-time adjustments are left out: they are not runs.
     */
    private List<Long> previousSizes(long segmentId) {
        return runner.inTransaction(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("WITH runs AS (SELECT id, size, cause FROM segment_size_history "
                    + "WHERE segment_id = ? AND cause IN ('time', 'recompute', 'definition') ORDER BY id DESC LIMIT ?) "
                    + "SELECT size, cause FROM runs ORDER BY id DESC OFFSET 1")) {
                ps.setLong(1, segmentId);
                ps.setInt(2, config.alerts().window() + 1);
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

    public Alert record(Long segmentId, String kind, String message, Map<String, Object> details) {
        LOG.warnf("alert: %s", message);
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
    public List<Alert> after(Connection c, long cursor, Long segmentId, int limit) throws SQLException {
        return query(c, "SELECT a.id, a.segment_id, s.name, a.at, a.kind, a.message, a.details::text FROM alerts a "
                + "LEFT JOIN segments s ON s.id = a.segment_id WHERE a.id > ? AND (?::bigint IS NULL OR a.segment_id = ?) ORDER BY a.id LIMIT ?",
                cursor, segmentId, segmentId, limit);
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

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
