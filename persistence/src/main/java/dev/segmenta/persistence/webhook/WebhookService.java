package dev.segmenta.persistence.webhook;

import dev.segmenta.persistence.alert.AlertStore;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.segment.SegmentStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Webhook registrations and their delivery log. A new webhook receives the changes logged after it was created. */
@ApplicationScoped
public class WebhookService {
    private final WebhookOutbox outbox;
    private final AlertStore alerts;
    private final SegmentStore segments;
    private final Clock clock;

    private final boolean allowPrivateNetworks;
    /** Longer URLs are refused: receivers and proxies commonly stop at 2 KB, and the page lists every URL. */
    static final int MAX_URL_LENGTH = 2048;

    public WebhookService(WebhookOutbox outbox, AlertStore alerts, SegmentStore segments, Clock clock,
            @ConfigProperty(name = "segmenta.webhooks.allow-private-networks", defaultValue = "false") boolean allowPrivateNetworks) {
        this.outbox = outbox;
        this.alerts = alerts;
        this.segments = segments;
        this.clock = clock;
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    public Webhook create(String url, Long segmentId, String secret, String actor) {
        String cleanUrl = requireUrl(url);
        if (secret == null || secret.isBlank()) {
            throw SegmentaException.badParams("secret", "secret is required: it keys the X-Segmenta-Signature HMAC");
        }
        if (segmentId != null) {
            segments.get(segmentId);
        }
        long changeCursor = outbox.latestChangeId();
        long alertCursor = alerts.latestId();
        return QuarkusTransaction.requiringNew().call(() -> {
            WebhookEntity w = new WebhookEntity();
            w.url = cleanUrl;
            w.segmentId = segmentId;
            w.secret = secret;
            // PostgreSQL keeps microseconds; the returned webhook says what was stored.
            w.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            w.createdBy = actor;
            w.enabled = true;
            w.changeCursor = changeCursor;
            w.alertCursor = alertCursor;
            w.persist();
            return w.view();
        });
    }

    @Transactional
    public List<Webhook> list() {
        return WebhookEntity.<WebhookEntity>listAll(Sort.by("id")).stream().map(WebhookEntity::view).toList();
    }

    public Webhook get(long id) {
        return find(id).orElseThrow(() -> SegmentaException.notFound("no webhook with id " + id));
    }

    @Transactional
    public Optional<Webhook> find(long id) {
        return WebhookEntity.<WebhookEntity>findByIdOptional(id).map(WebhookEntity::view);
    }

    @Transactional
    public void delete(long id) {
        if (!WebhookEntity.deleteById(id)) {
            throw SegmentaException.notFound("no webhook with id " + id);
        }
    }

    /** Turns a disabled webhook back on; delivery resumes at its cursor, so nothing logged meanwhile is lost. */
    @Transactional
    public Webhook enable(long id) {
        WebhookEntity w = WebhookEntity.<WebhookEntity>findByIdOptional(id)
                .orElseThrow(() -> SegmentaException.notFound("no webhook with id " + id));
        w.enabled = true;
        w.disabledReason = null;
        w.failedAttempts = 0;
        w.nextAttemptAt = null;
        return w.view();
    }

    /** Newest first. */
    @Transactional
    public List<Delivery> deliveries(long webhookId, int limit) {
        get(webhookId);
        int n = Math.max(1, Math.min(limit, 1000));
        return DeliveryEntity.<DeliveryEntity>find("webhookId", Sort.descending("id"), webhookId).page(Page.ofSize(n)).list().stream()
                .map(DeliveryEntity::view).toList();
    }

    private String requireUrl(String url) {
        if (url == null || url.isBlank()) {
            throw SegmentaException.badParams("url", "url is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw SegmentaException.badParams("url", "url has " + url.length() + " characters; at most " + MAX_URL_LENGTH + " are allowed");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw SegmentaException.badParams("url", "url must be an absolute http(s) URL, got '" + url + "'");
            }
            Optional<String> refused = WebhookDestinations.refusal(uri, allowPrivateNetworks);
            if (refused.isPresent()) {
                throw SegmentaException.badParams("url", "url " + uri + " is refused: " + refused.get());
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw SegmentaException.badParams("url", "url is not a valid URL: " + e.getMessage());
        }
    }
}
