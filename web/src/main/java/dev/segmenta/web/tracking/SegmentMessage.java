package dev.segmenta.web.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.ingest.Identity;
import java.time.Instant;

/**
 * One Segment call, read: who sent it ({@code userId}, {@code anonymousId}, and for identify the {@code email}
 * trait), and what it writes — user fields (identify, group), an event (track, page, screen), or an alias of
 * {@code previousId}.
 */
record SegmentMessage(String type, String userId, String anonymousId, String email, ObjectNode fields, Event event, String previousId) {
    record Event(String name, String id, Instant createdAt, ObjectNode dataFields) {}

    /** Named by a userId or an email: written to that user. Otherwise only an anonymousId names it. */
    boolean identified() {
        return userId != null || email != null;
    }

    Identity identity() {
        return new Identity(email, userId);
    }
}
