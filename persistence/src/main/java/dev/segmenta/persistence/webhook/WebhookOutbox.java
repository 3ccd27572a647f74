package dev.segmenta.persistence.webhook;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.segment.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What webhook delivery reads and writes: the webhooks due now, their secrets, the change log after a cursor, and
 * each attempt with what it does to the webhook (cursor moved, retry scheduled, disabled). Every attempt is a row of
 * {@code webhook_deliveries} written in the same transaction as its effect.
 */
@ApplicationScoped
public class WebhookOutbox {
    /** One POST attempt ({@code kind} 'changes', 'alerts' or 'test'); {@code error} null when the receiver answered 2xx. */
    public record Attempt(long webhookId, Instant at, String kind, long firstId, long lastId, int items, int attempt, Integer statusCode,
            String error, int durationMs) {
        public boolean ok() {
            return error == null;
        }
    }

    private final QueryRunner runner;
    private final AuditLog audit;

    public WebhookOutbox(QueryRunner runner, AuditLog audit) {
        this.runner = runner;
        this.audit = audit;
    }

    /** Enabled webhooks whose retry time has come by {@code now}, in id order. */
    public List<Webhook> due(Instant now) {
        return runner.inTransaction(c -> WebhookService.query(c, "SELECT " + WebhookService.COLUMNS
                + " FROM webhooks WHERE enabled AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id", Timestamp.from(now)));
    }

    /** The HMAC key of a webhook; never shown in any view. */
    public String secret(long webhookId) {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM webhooks WHERE id = ?")) {
                ps.setLong(1, webhookId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** Membership changes after {@code cursor} in log order, as delivered; {@code segmentId} null for every segment. */
    public List<Map<String, Object>> changesAfter(long cursor, Long segmentId, int limit) {
        return runner.inTransaction(c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ch.id, ch.segment_id, s.name, ch.user_pk, coalesce(u.email, ch.email), "
                    + "coalesce(u.user_id, ch.user_id), ch.change, ch.cause, ch.at FROM segment_changes ch JOIN segments s ON s.id = ch.segment_id "
                    + "LEFT JOIN users u ON u.id = ch.user_pk WHERE ch.id > ? AND (?::bigint IS NULL OR ch.segment_id = ?) ORDER BY ch.id LIMIT ?")) {
                ps.setLong(1, cursor);
                ps.setObject(2, segmentId);
                ps.setObject(3, segmentId);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> change = new LinkedHashMap<>();
                        change.put("id", rs.getLong(1));
                        change.put("segmentId", rs.getLong(2));
                        change.put("segmentName", rs.getString(3));
                        change.put("userPk", rs.getLong(4));
                        change.put("email", rs.getString(5));
                        change.put("userId", rs.getString(6));
                        change.put("change", rs.getString(7));
                        change.put("cause", rs.getString(8));
                        change.put("at", rs.getTimestamp(9).toInstant().toString());
                        out.add(change);
                    }
                }
            }
            return out;
        });
    }

    /** The receiver took the batch: the cursor of its table moves past it and the retry state is cleared. */
    public void accepted(Attempt a) {
        String cursor = a.kind().equals("changes") ? "change_cursor" : "alert_cursor";
        runner.inTransaction(c -> {
            record(c, a);
            // The column name is one of two fixed strings above, never input.
            return update(c, "UPDATE webhooks SET " + cursor + " = ?, failed_attempts = 0, next_attempt_at = NULL WHERE id = ?",
                    a.lastId(), a.webhookId());
        });
    }

    /** The attempt failed and will be retried at {@code nextAttemptAt}. */
    public void failed(Attempt a, Instant nextAttemptAt) {
        runner.inTransaction(c -> {
            record(c, a);
            return update(c, "UPDATE webhooks SET failed_attempts = ?, next_attempt_at = ? WHERE id = ?", a.attempt(),
                    Timestamp.from(nextAttemptAt), a.webhookId());
        });
    }

    /** The attempt failed for the last time: the webhook is disabled with {@code reason}, its cursors left where they were. */
    public void disabled(Attempt a, String reason) {
        runner.inTransaction(c -> {
            record(c, a);
            return update(c, "UPDATE webhooks SET enabled = false, disabled_reason = ?, failed_attempts = ?, next_attempt_at = NULL WHERE id = ?",
                    reason, a.attempt(), a.webhookId());
        });
    }

    /** A test payload was sent by {@code actor}: logged and audited; cursors and retry state are untouched. */
    public void tested(Attempt a, String actor) {
        runner.inTransaction(c -> {
            record(c, a);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("ok", a.ok());
            after.put("statusCode", a.statusCode());
            after.put("error", a.error());
            audit.record(c, actor, "test", "webhook", Long.toString(a.webhookId()), null, after);
            return null;
        });
    }

    private static void record(Connection c, Attempt a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, at, kind, first_id, last_id, items, "
                + "attempt, status_code, ok, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, a.webhookId());
            ps.setTimestamp(2, Timestamp.from(a.at()));
            ps.setString(3, a.kind());
            ps.setLong(4, a.firstId());
            ps.setLong(5, a.lastId());
            ps.setInt(6, a.items());
            ps.setInt(7, a.attempt());
            ps.setObject(8, a.statusCode());
            ps.setBoolean(9, a.ok());
            ps.setString(10, a.error());
            ps.setInt(11, a.durationMs());
            ps.executeUpdate();
        }
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
