package dev.segmenta.scheduler.webhook;

import dev.segmenta.persistence.webhook.WebhookDestinations;
import dev.segmenta.persistence.webhook.WebhookOutbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One signed POST to a webhook's URL: what the dispatcher's deliveries and the "send a test" button share. How it
 * went becomes a {@link WebhookOutbox.Attempt}, which the outbox logs.
 */
final class SignedPost {
    private SignedPost() {}

    /** How one POST went: the HTTP status if an answer came, and why it failed (null when the status was 2xx). */
    record Outcome(Integer statusCode, String error, int durationMs) {
        boolean ok() {
            return error == null;
        }

        /** This outcome as the logged attempt {@code attempt} of {@code kind} covering ids {@code firstId}..{@code lastId}. */
        WebhookOutbox.Attempt attempt(long webhookId, Instant at, String kind, long firstId, long lastId, int items, int attempt) {
            return new WebhookOutbox.Attempt(webhookId, at, kind, firstId, lastId, items, attempt, statusCode, error, durationMs);
        }
    }

    /**
     * POSTs {@code body} signed with {@code secret}; {@code delivery} goes in the X-Segmenta-Delivery header. The
     * destination is checked first ({@link WebhookDestinations}): a host name may resolve to a refused address now
     * although it did not when the webhook was saved.
     */
    static Outcome send(HttpClient http, Duration timeout, boolean allowPrivateNetworks, long webhookId, String url, String delivery,
            byte[] body, String secret) {
        long t0 = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            URI uri = URI.create(url);
            Optional<String> refused = WebhookDestinations.refusal(uri, allowPrivateNetworks);
            if (refused.isPresent()) {
                return new Outcome(null, "refused: " + refused.get(), (int) ((System.nanoTime() - t0) / 1_000_000));
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json").header(Signature.HEADER, Signature.of(body, secret))
                    .header("X-Segmenta-Webhook", Long.toString(webhookId)).header("X-Segmenta-Delivery", delivery)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                error = "HTTP " + status;
            }
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        return new Outcome(status, error, (int) ((System.nanoTime() - t0) / 1_000_000));
    }
}
