package dev.segmenta.persistence.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** A user as stored: identifiers, system dates, data fields, list memberships and subscription state. */
public record UserProfile(long pk, String email, String userId, Instant signupDate, Instant profileUpdatedAt,
        ObjectNode dataFields, List<Long> emailListIds, List<Long> unsubscribedChannelIds,
        List<Long> unsubscribedMessageTypeIds, List<Long> subscribedMessageTypeIds) {}
