package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One event (Iterable {@code events/track}); {@code id} replaces an existing event with the same id. */
public record EventInput(Identity identity, String eventName, String id, Instant createdAt, ObjectNode dataFields,
        Long campaignId, Long templateId) {
    /** The same event under another id. */
    public EventInput withId(String newId) {
        return new EventInput(identity, eventName, newId, createdAt, dataFields, campaignId, templateId);
    }
}
