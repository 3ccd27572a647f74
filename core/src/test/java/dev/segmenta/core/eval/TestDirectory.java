package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A directory held in maps: lists 1 "Beta testers", 2 "VIP"; channels 10 Email, 11 Push; types 100-102. */
final class TestDirectory implements Directory {
    static final long BETA = 1;
    static final long VIP = 2;
    static final long EMAIL = 10;
    static final long PUSH = 11;
    static final long NEWSLETTER = 100;
    static final long PROMOS = 101;
    static final long PUSH_ALERTS = 102;

    private final Map<String, Rule> segments = new HashMap<>();

    TestDirectory segment(String name, Rule definition) {
        segments.put(name, definition);
        return this;
    }

    @Override
    public Optional<StaticList> list(String name) {
        switch (name) {
            case "Beta testers":
                return Optional.of(new StaticList(BETA, name));
            case "VIP":
                return Optional.of(new StaticList(VIP, name));
            default:
                return Optional.empty();
        }
    }

    @Override
    public Optional<Channel> channel(String name) {
        switch (name) {
            case "Email":
                return Optional.of(new Channel(EMAIL, name, "Email"));
            case "Push":
                return Optional.of(new Channel(PUSH, name, "Push"));
            default:
                return Optional.empty();
        }
    }

    @Override
    public Optional<MessageType> messageType(String name) {
        switch (name) {
            case "Newsletter":
                return Optional.of(new MessageType(NEWSLETTER, name, EMAIL, MessageType.SubscriptionPolicy.OPT_IN));
            case "Promotions":
                return Optional.of(new MessageType(PROMOS, name, EMAIL, MessageType.SubscriptionPolicy.OPT_OUT));
            case "Alerts":
                return Optional.of(new MessageType(PUSH_ALERTS, name, PUSH, MessageType.SubscriptionPolicy.OPT_OUT));
            default:
                return Optional.empty();
        }
    }

    @Override
    public Optional<Rule> segment(String name) {
        return Optional.ofNullable(segments.get(name));
    }
}
