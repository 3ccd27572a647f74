package dev.segmenta.scheduler.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * One signed delivery to a webhook's URL and its row in {@code webhook_deliveries}: what the dispatcher's deliveries
 * and the "send a test" button share.
 */
final class SignedPost {
    private SignedPost() {}

    /** How one POST went: the HTTP status if an answer came, and why it failed (null when the status was 2xx). */
    record Outcome(Integer statusCode, String error, int durationMs) {
        boolean ok() {
            return error == null;
        }
    }

    /** POSTs {@code body} signed with {@code secret}; {@code delivery} goes in the X-Segmenta-Delivery header. */
    static Outcome send(HttpClient http, Duration timeout, long webhookId, String url, String delivery, byte[] body, String secret) {
        long t0 = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
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

    /** Records a delivery attempt ({@code kind} 'changes', 'alerts' or 'test'). */
    static void record(Connection c, long webhookId, Instant at, String kind, long firstId, long lastId, int items, int attempt,
            Outcome outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, at, kind, first_id, last_id, items, "
                + "attempt, status_code, ok, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, webhookId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, kind);
            ps.setLong(4, firstId);
            ps.setLong(5, lastId);
            ps.setInt(6, items);
            ps.setInt(7, attempt);
            ps.setObject(8, outcome.statusCode());
            ps.setBoolean(9, outcome.ok());
            ps.setString(10, outcome.error());
            ps.setInt(11, outcome.durationMs());
            ps.executeUpdate();
        }
    }
}
