package dev.segmenta.core.eval;

import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import java.util.Optional;

/**
 * Whether a user is subscribed to a channel or message type (Iterable's model), with the reason in words.
 * Subscribed to channel C: C is not in {@code unsubscribedChannelIds}. Subscribed to message type M: M's
 * channel is not unsubscribed and, for an opt-out type, M is not in {@code unsubscribedMessageTypeIds}, for an
 * opt-in type, M is in {@code subscribedMessageTypeIds}. An unknown name is never subscribed to.
 */
record SubscriptionStatus(boolean known, boolean subscribed, String reason) {

    static SubscriptionStatus of(SubscriptionRule rule, UserSnapshot user, Directory directory) {
        if (rule.target() == SubscriptionRule.Target.CHANNEL) {
            Optional<Channel> channel = directory.channel(rule.name());
            if (channel.isEmpty()) {
                return new SubscriptionStatus(false, false, "there is no channel \"" + rule.name() + "\"");
            }
            boolean unsubscribed = user.unsubscribedChannelIds().contains(channel.get().id());
            return new SubscriptionStatus(true, !unsubscribed,
                    unsubscribed ? "unsubscribed from the channel" : "not unsubscribed from the channel");
        }
        Optional<MessageType> found = directory.messageType(rule.name());
        if (found.isEmpty()) {
            return new SubscriptionStatus(false, false, "there is no message type \"" + rule.name() + "\"");
        }
        MessageType type = found.get();
        if (user.unsubscribedChannelIds().contains(type.channelId())) {
            return new SubscriptionStatus(true, false, "unsubscribed from the message type's channel");
        }
        if (type.policy() == MessageType.SubscriptionPolicy.OPT_OUT) {
            boolean optedOut = user.unsubscribedMessageTypeIds().contains(type.id());
            return new SubscriptionStatus(true, !optedOut,
                    optedOut ? "opt-out type, user unsubscribed from it" : "opt-out type, user has not unsubscribed");
        }
        boolean optedIn = user.subscribedMessageTypeIds().contains(type.id());
        return new SubscriptionStatus(true, optedIn,
                optedIn ? "opt-in type, user subscribed to it" : "opt-in type, user has not subscribed");
    }
}
