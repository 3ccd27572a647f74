package dev.segmenta.scheduler.webhook;

import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.segment.SegmentStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Webhook registrations and their delivery log. A new webhook receives the changes logged after it was created. */
@ApplicationScoped
public class WebhookService {
    static final String COLUMNS = "id, url, segment_id, created_at, created_by, enabled, disabled_reason, change_cursor, alert_cursor, "
            + "failed_attempts, next_attempt_at";

    private final QueryRunner runner;
    private final SegmentStore segments;
    private final Clock clock;

    public WebhookService(QueryRunner runner, SegmentStore segments, Clock clock) {
        this.runner = runner;
        this.segments = segments;
        this.clock = clock;
    }

    public Webhook create(String url, Long segmentId, String secret, String actor) {
        String cleanUrl = requireUrl(url);
        if (secret == null || secret.isBlank()) {
            throw SegmentaException.badParams("secret", "secret is required: it keys the X-Segmenta-Signature HMAC");
        }
        if (segmentId != null) {
            segments.get(segmentId);
        }
        long id = runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks (url, segment_id, secret, created_at, created_by, "
                    + "change_cursor, alert_cursor) VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM segment_changes), "
                    + "(SELECT coalesce(max(id), 0) FROM alerts)) RETURNING id")) {
                ps.setString(1, cleanUrl);
                ps.setObject(2, segmentId);
                ps.setString(3, secret);
                ps.setTimestamp(4, Timestamp.from(clock.instant()));
                ps.setString(5, actor);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return get(id);
    }

    public List<Webhook> list() {
        return runner.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM webhooks ORDER BY id"));
    }

    public Webhook get(long id) {
        return find(id).orElseThrow(() -> SegmentaException.notFound("no webhook with id " + id));
    }

    public Optional<Webhook> find(long id) {
        return runner.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", id)).stream().findFirst();
    }

    public void delete(long id) {
        long deleted = runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhooks WHERE id = ?")) {
                ps.setLong(1, id);
                return (long) ps.executeUpdate();
            }
        });
        if (deleted == 0) {
            throw SegmentaException.notFound("no webhook with id " + id);
        }
    }

    /** Turns a disabled webhook back on; delivery resumes at its cursor, so nothing logged meanwhile is lost. */
    public Webhook enable(long id) {
        get(id);
        runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET enabled = true, disabled_reason = NULL, failed_attempts = 0, "
                    + "next_attempt_at = NULL WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
        return get(id);
    }

    /** Newest first. */
    public List<Delivery> deliveries(long webhookId, int limit) {
        get(webhookId);
        int n = Math.max(1, Math.min(limit, 1000));
        return runner.inTransaction(c -> {
            List<Delivery> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, webhook_id, at, kind, first_id, last_id, items, attempt, status_code, "
                    + "ok, error, duration_ms FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, webhookId);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Delivery(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getLong(5),
                                rs.getLong(6), rs.getInt(7), rs.getInt(8), (Integer) rs.getObject(9), rs.getBoolean(10), rs.getString(11),
                                rs.getInt(12)));
                    }
                }
            }
            return out;
        });
    }

    static List<Webhook> query(Connection c, String sql, Object... params) throws SQLException {
        List<Webhook> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp next = rs.getTimestamp(11);
                    out.add(new Webhook(rs.getLong(1), rs.getString(2), (Long) rs.getObject(3), rs.getTimestamp(4).toInstant(), rs.getString(5),
                            rs.getBoolean(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getInt(10), next == null ? null : next.toInstant()));
                }
            }
        }
        return out;
    }

    private static String requireUrl(String url) {
        if (url == null || url.isBlank()) {
            throw SegmentaException.badParams("url", "url is required");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw SegmentaException.badParams("url", "url must be an absolute http(s) URL, got '" + url + "'");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw SegmentaException.badParams("url", "url is not a valid URL: " + e.getMessage());
        }
    }
}
