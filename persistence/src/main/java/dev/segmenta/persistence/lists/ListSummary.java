package dev.segmenta.persistence.lists;

import java.time.Instant;

/** A list as {@code GET /api/lists} shows it; {@code Standard} lists are static, {@code Dynamic} ones are segments. */
public record ListSummary(long id, String name, String description, Instant createdAt, String listType) {}
