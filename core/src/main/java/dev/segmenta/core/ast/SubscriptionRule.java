package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/**
 * {@code subscribed to message type "Newsletter"}, {@code unsubscribed from channel "Email"}. Unsubscribed is
 * exactly the negation of subscribed.
 */
public record SubscriptionRule(boolean subscribed, Target target, String name) implements Rule {
    public SubscriptionRule {
        requireNonNull(target, "target is null");
        requireNonNull(name, "name is null");
    }

    public enum Target {
        CHANNEL("channel"),
        MESSAGE_TYPE("message type");

        private final String keywords;

        Target(String keywords) {
            this.keywords = keywords;
        }

        public String keywords() {
            return keywords;
        }
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitSubscription(this);
    }
}
