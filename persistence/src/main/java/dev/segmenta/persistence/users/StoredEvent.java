package dev.segmenta.persistence.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One stored event of a user. */
public record StoredEvent(String eventName, Instant createdAt, String id, ObjectNode dataFields, Long campaignId, Long templateId) {}
