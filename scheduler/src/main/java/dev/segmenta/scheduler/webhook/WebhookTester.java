package dev.segmenta.scheduler.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.persistence.webhook.Webhook;
import dev.segmenta.persistence.webhook.WebhookOutbox;
import dev.segmenta.persistence.webhook.WebhookService;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
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
    private final WebhookOutbox outbox;
    private final ObjectMapper json;
    private final SchedulerConfig config;
    private final Clock clock;
    private final HttpClient http;

    public WebhookTester(WebhookService webhooks, WebhookOutbox outbox, ObjectMapper json, SchedulerConfig config, Clock clock) {
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.json = json;
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
        String secret = outbox.secret(w.id());
        SignedPost.Outcome sent = SignedPost.send(http, config.webhooks().timeout(), config.webhooks().allowPrivateNetworks(), w.id(), w.url(),
                "test", body, secret);
        Result result = new Result(sent.ok(), sent.statusCode(), sent.error(), sent.durationMs());
        outbox.tested(sent.attempt(w.id(), now, "test", 0, 0, 0, 1), actor);
        return result;
    }
}
