package dev.segmenta.scheduler.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.alert.Alert;
import dev.segmenta.persistence.alert.AlertStore;
import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.persistence.lock.AdvisoryLock;
import dev.segmenta.persistence.webhook.Webhook;
import dev.segmenta.persistence.webhook.WebhookOutbox;
import dev.segmenta.persistence.webhook.WebhookService;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Delivers the change log and the alerts to webhooks (the tables are the outbox; each webhook keeps a cursor per
 * table). A batch is POSTed as JSON with the HMAC signature; a 2xx moves the cursor past it. Any other answer
 * is logged and retried with exponential backoff ({@code initial-backoff} × 2^(attempt−1)); after
 * {@code max-attempts} failures the webhook is disabled with the reason, its cursor left where it was. Because
 * the cursor only moves on success, a receiver sees every change in log order, at least once (exactly once
 * unless it answered 2xx too late for us to see it).
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** Batches sent to one webhook per call, so one busy receiver cannot starve the others. */
    private static final int MAX_BATCHES_PER_CALL = 50;

    private final AgroalDataSource dataSource;
    private final WebhookService webhooks;
    private final WebhookOutbox outbox;
    private final AlertStore alerts;
    private final ObjectMapper json;
    private final Clock clock;
    private final SchedulerConfig config;
    private final ReentrantLock local = new ReentrantLock();
    private final HttpClient http;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segmenta-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean kicked = new AtomicBoolean();

    public WebhookDispatcher(AgroalDataSource dataSource, WebhookService webhooks, WebhookOutbox outbox, AlertStore alerts, ObjectMapper json,
            Clock clock, SchedulerConfig config) {
        this.dataSource = dataSource;
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.alerts = alerts;
        this.json = json;
        this.clock = clock;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhooks().timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Asks for a delivery soon, on a background thread; calls while one is already pending are merged. */
    public void kick() {
        if (kicked.compareAndSet(false, true)) {
            background.execute(() -> {
                kicked.set(false);
                try {
                    deliverPending();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "webhook delivery failed");
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /**
     * Waits, at most {@code bound}, for a delivery running on this node (a timer's or a {@link #kick}'s) to finish.
     *
     * @return whether no delivery was running on this node when it returned
     */
    public boolean awaitIdle(Duration bound) throws InterruptedException {
        if (!local.tryLock(bound.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
            return false;
        }
        local.unlock();
        return true;
    }

    /** Sends what is pending to every enabled webhook whose retry time has come; returns how many batches were accepted. */
    public int deliverPending() {
        if (!local.tryLock()) {
            return 0; // another thread of this node is delivering; it will see the new rows too
        }
        try {
            Optional<AdvisoryLock> lock = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.WEBHOOKS);
            if (lock.isEmpty()) {
                return 0;
            }
            try (AdvisoryLock held = lock.get()) {
                int delivered = 0;
                List<Webhook> due = outbox.due(clock.instant());
                for (Webhook w : due) {
                    delivered += deliverTo(w);
                }
                return delivered;
            }
        } finally {
            local.unlock();
        }
    }

    private int deliverTo(Webhook webhook) {
        int delivered = 0;
        for (int i = 0; i < MAX_BATCHES_PER_CALL; i++) {
            Webhook w = webhooks.find(webhook.id()).orElse(null);
            if (w == null || !w.enabled()) {
                return delivered;
            }
            Optional<Batch> batch = next(w);
            if (batch.isEmpty()) {
                return delivered;
            }
            if (!send(w, batch.get())) {
                return delivered;
            }
            delivered++;
        }
        return delivered;
    }

    /** A body ready to POST and the id range it covers in its table. */
    private record Batch(String kind, long firstId, long lastId, int items, byte[] body) {}

    private Optional<Batch> next(Webhook w) {
        List<Map<String, Object>> changes = outbox.changesAfter(w.changeCursor(), w.segmentId(), config.webhooks().batchSize());
        if (!changes.isEmpty()) {
            long first = (Long) changes.get(0).get("id");
            long last = (Long) changes.get(changes.size() - 1).get("id");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "membership");
            body.put("webhookId", w.id());
            body.put("firstId", first);
            body.put("lastId", last);
            body.put("changes", changes);
            return Optional.of(new Batch("changes", first, last, changes.size(), json(body)));
        }
        List<Alert> pending = alerts.after(w.alertCursor(), w.segmentId(), config.webhooks().batchSize());
        if (!pending.isEmpty()) {
            long first = pending.get(0).id();
            long last = pending.get(pending.size() - 1).id();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "alerts");
            body.put("webhookId", w.id());
            body.put("firstId", first);
            body.put("lastId", last);
            body.put("alerts", pending);
            return Optional.of(new Batch("alerts", first, last, pending.size(), json(body)));
        }
        return Optional.empty();
    }

    /** POSTs one batch; true when the receiver accepted it and the cursor moved. */
    private boolean send(Webhook w, Batch batch) {
        String secret = outbox.secret(w.id());
        int attempt = w.failedAttempts() + 1;
        SignedPost.Outcome sent = SignedPost.send(http, config.webhooks().timeout(), config.webhooks().allowPrivateNetworks(), w.id(), w.url(),
                batch.kind() + ":" + batch.firstId() + "-" + batch.lastId(), batch.body(), secret);
        Instant now = clock.instant();
        WebhookOutbox.Attempt logged = sent.attempt(w.id(), now, batch.kind(), batch.firstId(), batch.lastId(), batch.items(), attempt);
        if (sent.ok()) {
            outbox.accepted(logged);
        } else if (attempt >= config.webhooks().maxAttempts()) {
            String why = "Gave up after " + attempt + " failed attempts to deliver " + batch.kind() + " " + batch.firstId() + "-"
                    + batch.lastId() + " to " + w.url() + ": " + sent.error() + ". Fix the receiver, then POST /api/webhooks/" + w.id()
                    + "/enable to resume from where delivery stopped.";
            outbox.disabled(logged, why);
            LOG.warn(why);
        } else {
            Duration backoff = config.webhooks().initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
            outbox.failed(logged, now.plus(backoff));
        }
        return sent.ok();
    }

    private byte[] json(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
