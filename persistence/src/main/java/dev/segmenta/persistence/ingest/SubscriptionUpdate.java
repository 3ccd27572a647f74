package dev.segmenta.persistence.ingest;

import java.util.List;

/** {@code users/updateSubscriptions}: each non-null list replaces the user's current one. */
public record SubscriptionUpdate(List<Long> emailListIds, List<Long> unsubscribedChannelIds,
        List<Long> unsubscribedMessageTypeIds, List<Long> subscribedMessageTypeIds) {}
