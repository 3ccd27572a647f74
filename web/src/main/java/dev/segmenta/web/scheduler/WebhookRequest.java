package dev.segmenta.web.scheduler;

import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.Storable;
import dev.segmenta.web.api.request.WrongType;

/** A new webhook: where to POST, for which segment ({@code null}: every segment), and the HMAC secret. */
public record WebhookRequest(
        @Storable String url,
        @WrongType("{path} must be a segment id or null (every segment)") Long segmentId,
        @Storable String secret) implements JsonRequest {}
