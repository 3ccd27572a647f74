package dev.segmenta.persistence.webhook;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What webhook delivery reads and writes: the webhooks due now, their secrets, the change log after a cursor, and
 * each attempt with what it does to the webhook (cursor moved, retry scheduled, disabled). Every attempt is a row of
 * {@code webhook_deliveries} written in the same transaction as its effect. Webhooks and attempts are Panache
 * entities; the change log is membership data and is read with plain JDBC.
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
    @Transactional
    public List<Webhook> due(Instant now) {
        return WebhookEntity.<WebhookEntity>list("enabled = true and (nextAttemptAt is null or nextAttemptAt <= :now) order by id",
                Parameters.with("now", now)).stream().map(WebhookEntity::view).toList();
    }

    /** The HMAC key of a webhook; never shown in any view. */
    @Transactional
    public String secret(long webhookId) {
        return WebhookEntity.<WebhookEntity>findByIdOptional(webhookId).map(w -> w.secret)
                .orElseThrow(() -> SegmentaException.notFound("no webhook with id " + webhookId));
    }

    /** The id of the newest membership change, 0 when there is none: where a new webhook's change cursor starts. */
    public long latestChangeId() {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM segment_changes"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
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
    @Transactional
    public void accepted(Attempt a) {
        log(a);
        WebhookEntity w = WebhookEntity.findById(a.webhookId());
        if (w != null) {
            if (a.kind().equals("changes")) {
                w.changeCursor = a.lastId();
            } else {
                w.alertCursor = a.lastId();
            }
            w.failedAttempts = 0;
            w.nextAttemptAt = null;
        }
    }

    /** The attempt failed and will be retried at {@code nextAttemptAt}. */
    @Transactional
    public void failed(Attempt a, Instant nextAttemptAt) {
        log(a);
        WebhookEntity w = WebhookEntity.findById(a.webhookId());
        if (w != null) {
            w.failedAttempts = a.attempt();
            w.nextAttemptAt = nextAttemptAt;
        }
    }

    /** The attempt failed for the last time: the webhook is disabled with {@code reason}, its cursors left where they were. */
    @Transactional
    public void disabled(Attempt a, String reason) {
        log(a);
        WebhookEntity w = WebhookEntity.findById(a.webhookId());
        if (w != null) {
            w.enabled = false;
            w.disabledReason = reason;
            w.failedAttempts = a.attempt();
            w.nextAttemptAt = null;
        }
    }

    /** A test payload was sent by {@code actor}: logged and audited; cursors and retry state are untouched. */
    @Transactional
    public void tested(Attempt a, String actor) {
        log(a);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("ok", a.ok());
        after.put("statusCode", a.statusCode());
        after.put("error", a.error());
        // The audit row joins this transaction through the data source (one JTA transaction, one connection).
        audit.record(actor, "test", "webhook", Long.toString(a.webhookId()), null, after);
    }

    private static void log(Attempt a) {
        DeliveryEntity d = new DeliveryEntity();
        d.webhookId = a.webhookId();
        d.at = a.at();
        d.kind = a.kind();
        d.firstId = a.firstId();
        d.lastId = a.lastId();
        d.items = a.items();
        d.attempt = a.attempt();
        d.statusCode = a.statusCode();
        d.ok = a.ok();
        d.error = a.error();
        d.durationMs = a.durationMs();
        d.persist();
    }
}
