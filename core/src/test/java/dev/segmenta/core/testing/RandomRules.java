package dev.segmenta.core.testing;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The vocabulary of {@link RandomData} for {@link RuleGenerator}, so that most rules match some users but not all:
 * the rules for comparing evaluators (in-memory, SQL, columnar) and for metamorphic properties. {@code in},
 * {@code not in} and {@code contains any/all} get 1 to 5 values (the grammar needs at least one). Names of lists,
 * segments, channels and message types resolve through {@link #DIRECTORY}.
 *
 * <pre>{@code
 * @Property(shrinking = ShrinkingMode.BOUNDED)
 * void agree(@ForAll("rules") Rule rule) { ... }
 *
 * @Provide Arbitrary<Rule> rules() { return RandomRules.rules(3); }
 * }</pre>
 */
public final class RandomRules {
    static final String[][] USER_PATHS = {{"s"}, {"n"}, {"d"}, {"tags"}, {"flag"}, {"addr", "city"}, {"addr", "zip"},
        {"items", "name"}, {"items", "price"}, {"items", "tags"}, {"obj"}, {"obj", "k"}, {"missing"}, {"email"},
        {"userId"}, {"signupDate"}, {"profileUpdatedAt"}, {"email", "x"}, {"addr"}, {"items"},
        {"orders", "lines", "name"}, {"orders", "lines", "tags"}, {"items", "0"}, {"tags", "1"},
        {"a.b"}, {"a", "b"}, {"a"}, {"first name"}};
    static final String[][] EVENT_PATHS = {{"amount"}, {"item"}, {"tags"}, {"d"}, {"missing"}, {"items", "name"},
        {"items", "tags"}, {"items"}, {"x.y"}, {"x", "y"}};

    public static final List<StaticList> LISTS =
            List.of(new StaticList(RandomData.BETA, "Beta testers"), new StaticList(RandomData.VIP, "VIP"));
    public static final List<Channel> CHANNELS = List.of(new Channel(1, "Email", "Email"),
            new Channel(2, "Push", "Push"), new Channel(3, "SMS", "SMS"));
    public static final List<MessageType> MESSAGE_TYPES = List.of(
            new MessageType(11, "Marketing Email", 1, MessageType.SubscriptionPolicy.OPT_OUT),
            new MessageType(12, "Newsletter", 1, MessageType.SubscriptionPolicy.OPT_IN),
            new MessageType(13, "Push Marketing", 2, MessageType.SubscriptionPolicy.OPT_OUT),
            new MessageType(14, "SMS Marketing", 3, MessageType.SubscriptionPolicy.OPT_IN));
    /** Segments the generated {@code in segment} rules name; S2 refers to S1. */
    public static final Map<String, Rule> SEGMENTS = Map.of(
            "S1", new Or(List.of(new FieldRule(FieldPath.of("s"), new FieldCondition.Compare(CompareOp.EQ,
                            new Value.Text("x"))),
                    new EventRule("buy", List.of(), null,
                            new Window.During(new DateCondition.WithinLast(new Span(7, Span.Unit.DAY))), null))),
            "S2", new And(List.of(new SegmentRule("S1"), new Not(new ListRule("VIP")))));

    /** Lists 901/902, the three channels, four message types and segments S1, S2 of this vocabulary. */
    public static final Directory DIRECTORY = new Directory() {
        @Override
        public Optional<StaticList> list(String name) {
            return LISTS.stream().filter(l -> l.name().equals(name)).findFirst();
        }

        @Override
        public Optional<Channel> channel(String name) {
            return CHANNELS.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        @Override
        public Optional<MessageType> messageType(String name) {
            return MESSAGE_TYPES.stream().filter(t -> t.name().equals(name)).findFirst();
        }

        @Override
        public Optional<Rule> segment(String name) {
            return Optional.ofNullable(SEGMENTS.get(name));
        }
    };

    /** The generator over this vocabulary: every kind, fields most often, literals from {@link RandomData}. */
    public static final RuleGenerator GENERATOR = new RuleGenerator(
            new RuleGenerator.Vocabulary(paths(USER_PATHS), Arbitraries.of(RandomData.EVENT_NAMES), paths(EVENT_PATHS),
                    paths(new String[][] {{"amount"}, {"tags"}, {"missing"}}),
                    Arbitraries.of(new Value.Text("jacket"), new Value.Number(BigDecimal.TEN)),
                    Arbitraries.of("Beta testers", "VIP", "Nope"), Arbitraries.of("S1", "S2", "Nope"),
                    Arbitraries.of("Email", "Push", "SMS", "Newsletter", "Marketing Email", "Push Marketing",
                            "SMS Marketing", "Nope")),
            new RuleGenerator.Literals(Arbitraries.of(RandomData.TEXTS),
                    Arbitraries.of("x", "", "X", "é", "S", "i", "2026-02"),
                    // as the rule language writes them: plain decimals, large, tiny and negative
                    Arbitraries.of(RandomData.NUMBERS).map(n -> new BigDecimal(n.toPlainString())),
                    Arbitraries.of(new Value.Text("x"), new Value.Number(BigDecimal.ONE)),
                    days(), times(), spans(), Arbitraries.longs().between(0, 4),
                    // the edges (0, 1, 99, 100) and in between
                    Arbitraries.of(0, 1, 10, 37, 50, 63, 99, 100)),
            RuleGenerator.defaultShape());

    private RandomRules() {}

    /** Trees with up to {@code depth} levels of and/or/not above the leaves. */
    public static Arbitrary<Rule> rules(int depth) {
        return GENERATOR.rules(depth);
    }

    /** {@code @ForAll(supplier = RandomRules.UserPaths.class)}: profile paths, including keys that need quoting. */
    public static final class UserPaths implements ArbitrarySupplier<FieldPath> {
        @Override
        public Arbitrary<FieldPath> get() {
            return GENERATOR.vocabulary().userPaths();
        }
    }

    /** {@code @ForAll(supplier = RandomRules.ValueLists.class)}: 1 to 5 values, as {@code in [...]} takes them. */
    public static final class ValueLists implements ArbitrarySupplier<List<Value>> {
        @Override
        public Arbitrary<List<Value>> get() {
            return GENERATOR.values().list().ofMinSize(1).ofMaxSize(5);
        }
    }

    /** {@code @ForAll(supplier = RandomRules.EventRules.class)}: {@code performed ...}, never negated. */
    public static final class EventRules implements ArbitrarySupplier<EventRule> {
        @Override
        public Arbitrary<EventRule> get() {
            return GENERATOR.positiveEventRules();
        }
    }

    private static Arbitrary<FieldPath> paths(String[][] paths) {
        return Arbitraries.of(paths).map(p -> new FieldPath(List.of(p)));
    }

    private static Arbitrary<Span> spans() {
        return Combinators.combine(Arbitraries.frequencyOf(
                                Tuple.of(1, Arbitraries.just(0L)),
                                Tuple.of(3, Arbitraries.longs().between(1, 30))),
                        Arbitraries.of(Span.Unit.class))
                .as(Span::new);
    }

    private static Arbitrary<TimeLiteral> times() {
        return Arbitraries.oneOf(days().map(d -> (TimeLiteral) d),
                Arbitraries.of(RandomData.MOMENTS).map(m -> (TimeLiteral) new TimeLiteral.Moment(OffsetDateTime.parse(m))));
    }

    private static Arbitrary<TimeLiteral.Day> days() {
        return Arbitraries.of(RandomData.DAYS).map(d -> new TimeLiteral.Day(LocalDate.parse(d)));
    }
}
