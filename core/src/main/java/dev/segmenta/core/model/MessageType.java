package dev.segmenta.core.model;

import static java.util.Objects.requireNonNull;

/**
 * A kind of message on a channel. Opt-out types reach everyone who has not unsubscribed from them; opt-in
 * types reach only those who subscribed.
 */
public record MessageType(long id, String name, long channelId, SubscriptionPolicy policy) {
    public MessageType {
        requireNonNull(name, "name is null");
        requireNonNull(policy, "policy is null");
    }

    public enum SubscriptionPolicy {
        OPT_IN, OPT_OUT
    }
}
