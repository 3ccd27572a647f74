package dev.segmenta.persistence.webhook;

import java.time.Instant;

/**
 * A receiver of membership changes and alerts; {@code segmentId} null means every segment. The secret is never
 * shown again after creation. {@code changeCursor}/{@code alertCursor} are the last ids delivered.
 */
public record Webhook(long id, String url, Long segmentId, Instant createdAt, String createdBy, boolean enabled, String disabledReason,
        long changeCursor, long alertCursor, int failedAttempts, Instant nextAttemptAt) {}
