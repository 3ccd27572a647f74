package dev.segmenta.persistence.webhook;

import java.time.Instant;

/** One POST attempt: which ids it carried, and how the receiver answered. */
public record Delivery(long id, long webhookId, Instant at, String kind, long firstId, long lastId, int items, int attempt,
        Integer statusCode, boolean ok, String error, int durationMs) {}
