package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A fixed directory and clock for the columnar tests: lists 1-2, channels 10-11, message types 100-101. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private Fixtures() {}

    static Rule rule(String text) {
        return RuleParser.parse(text).rule();
    }

    /**
     * A user {@code pk} with only {@code events} (and a profile {@code n = pk}), put both in {@code users} (for the
     * evaluator) and in {@code index}: the aggregate and scan tests' users.
     */
    static void putEventsOnly(Map<Long, UserSnapshot> users, ColumnarIndex index, long pk, List<EventRecord> events) {
        UserSnapshot user = new UserSnapshot(Map.of("n", (int) pk), events, Set.of(), Set.of(), Set.of(), Set.of());
        users.put(pk, user);
        index.put(pk, user);
    }

    /** The users (by pk) the in-memory evaluator puts in the rule: what every columnar answer must equal. */
    static Set<Long> evaluatorMembers(Rule rule, Map<Long, UserSnapshot> users, EvaluationContext context) {
        Set<Long> members = new TreeSet<>();
        users.forEach((pk, user) -> {
            if (Evaluator.evaluate(rule, user, context)) {
                members.add(pk);
            }
        });
        return members;
    }

    /** The users (by pk) the columnar index puts in the rule. */
    static Set<Long> indexMembers(ColumnarIndex index, Rule rule, EvaluationContext context) {
        Set<Long> members = new TreeSet<>();
        for (long pk : index.userPks(index.evaluate(rule, context))) {
            members.add(pk);
        }
        return members;
    }

    static EvaluationContext context(Map<String, String> segments) {
        return new EvaluationContext(NOW, ZoneOffset.UTC, directory(segments));
    }

    static Directory directory(Map<String, String> segments) {
        return new Directory() {
            @Override
            public Optional<StaticList> list(String name) {
                return Optional.ofNullable(Map.of("Beta testers", new StaticList(1, name), "VIP",
                        new StaticList(2, name)).get(name));
            }

            @Override
            public Optional<Channel> channel(String name) {
                return Optional.ofNullable(Map.of("Email", new Channel(10, name, "Email"), "Push",
                        new Channel(11, name, "Push")).get(name));
            }

            @Override
            public Optional<MessageType> messageType(String name) {
                return Optional.ofNullable(Map.of(
                        "Newsletter", new MessageType(100, name, 10, MessageType.SubscriptionPolicy.OPT_IN),
                        "Promotions", new MessageType(101, name, 10, MessageType.SubscriptionPolicy.OPT_OUT))
                        .get(name));
            }

            @Override
            public Optional<Rule> segment(String name) {
                return Optional.ofNullable(segments.get(name)).map(Fixtures::rule);
            }
        };
    }
}
