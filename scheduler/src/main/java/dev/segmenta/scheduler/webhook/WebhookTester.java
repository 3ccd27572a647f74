package dev.segmenta.scheduler.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends one signed test payload ({@code {"type": "test", ...}}) to a webhook now, so a person can check the receiver
 * and its signature check before real changes flow. It is logged as a delivery of kind {@code test} and never moves the
 * webhook's cursors or retry state; it is sent even while the webhook is disabled (to check a fix before re-enabling).
 */
@ApplicationScoped
public class WebhookTester {
    public record Result(boolean ok, Integer statusCode, String error, int durationMs) {}

    private final WebhookService webhooks;
    private final QueryRunner runner;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final SegmentaConfig config;
    private final Clock clock;
    private final HttpClient http;

    public WebhookTester(WebhookService webhooks, QueryRunner runner, ObjectMapper json, AuditLog audit, SegmentaConfig config, Clock clock) {
        this.webhooks = webhooks;
        this.runner = runner;
        this.json = json;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhooks().timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Result send(long webhookId, String actor) {
        Webhook w = webhooks.get(webhookId);
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "test");
        payload.put("webhookId", w.id());
        payload.put("segmentId", w.segmentId());
        payload.put("sentAt", now.toString());
        payload.put("sentBy", actor);
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String secret = runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM webhooks WHERE id = ?")) {
                ps.setLong(1, w.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        SignedPost.Outcome sent = SignedPost.send(http, config.webhooks().timeout(), w.id(), w.url(), "test", body, secret);
        Result result = new Result(sent.ok(), sent.statusCode(), sent.error(), sent.durationMs());
        runner.inTransaction(c -> {
            SignedPost.record(c, w.id(), now, "test", 0, 0, 0, 1, sent);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("ok", result.ok());
            after.put("statusCode", result.statusCode());
            after.put("error", result.error());
            audit.record(c, actor, "test", "webhook", Long.toString(w.id()), null, after);
            return null;
        });
        return result;
    }
}
