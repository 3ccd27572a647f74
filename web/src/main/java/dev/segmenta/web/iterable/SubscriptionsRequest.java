package dev.segmenta.web.iterable;

import dev.segmenta.persistence.ingest.SubscriptionUpdate;
import dev.segmenta.web.api.request.Identified;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.WrongType;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** Iterable's {@code users/updateSubscriptions}: each list given replaces the user's; an absent one is left as it is. */
@Identified.Checked
public record SubscriptionsRequest(
        String email,
        String userId,
        @WrongType(value = SubscriptionsRequest.IDS, elements = SubscriptionsRequest.ID)
        List<@NotNull(message = SubscriptionsRequest.NULL_ID) Long> emailListIds,
        @WrongType(value = SubscriptionsRequest.IDS, elements = SubscriptionsRequest.ID)
        List<@NotNull(message = SubscriptionsRequest.NULL_ID) Long> unsubscribedChannelIds,
        @WrongType(value = SubscriptionsRequest.IDS, elements = SubscriptionsRequest.ID)
        List<@NotNull(message = SubscriptionsRequest.NULL_ID) Long> unsubscribedMessageTypeIds,
        @WrongType(value = SubscriptionsRequest.IDS, elements = SubscriptionsRequest.ID)
        List<@NotNull(message = SubscriptionsRequest.NULL_ID) Long> subscribedMessageTypeIds) implements JsonRequest, Identified {
    static final String IDS = "{path} must be an array of integers";
    static final String ID = "{path} must be an integer, got {sent}";
    static final String NULL_ID = "{path} must be an integer, got null";

    SubscriptionUpdate toUpdate() {
        return new SubscriptionUpdate(emailListIds, unsubscribedChannelIds, unsubscribedMessageTypeIds, subscribedMessageTypeIds);
    }
}
