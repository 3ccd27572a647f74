package dev.segmenta.core.testing;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
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
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random rule trees over the vocabulary of {@link RandomData}, so that most rules match some users but not all:
 * the one rule generator for comparing evaluators (in-memory, SQL, columnar) and for metamorphic properties. Built
 * from jqwik combinators, so a failing tree shrinks. {@code in}, {@code not in} and {@code contains any/all} get
 * 1 to 5 values (the grammar needs at least one). Names of lists, segments, channels and message types resolve
 * through {@link #DIRECTORY}.
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

    private RandomRules() {}

    /** Trees with up to {@code depth} levels of and/or/not above the leaves. */
    public static Arbitrary<Rule> rules(int depth) {
        if (depth <= 0) {
            return leaves();
        }
        Arbitrary<Rule> child = Arbitraries.lazy(() -> rules(depth - 1));
        Arbitrary<List<Rule>> children = child.list().ofMinSize(2).ofMaxSize(3);
        return Arbitraries.frequencyOf(
                Tuple.of(8, leaves()),
                Tuple.of(1, child.map(r -> (Rule) new Not(r))),
                Tuple.of(2, children.map(rs -> (Rule) new And(rs))),
                Tuple.of(1, children.map(rs -> (Rule) new Or(rs))));
    }

    public static Arbitrary<Rule> leaves() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, fieldRules(USER_PATHS).map(r -> (Rule) r)),
                Tuple.of(2, eventRules().map(r -> (Rule) r)),
                Tuple.of(1, recencyRules().map(r -> (Rule) r)),
                Tuple.of(1, Arbitraries.oneOf(
                        Arbitraries.of("Beta testers", "VIP", "Nope").map(n -> (Rule) new ListRule(n)),
                        Arbitraries.of("S1", "S2", "Nope").map(n -> (Rule) new SegmentRule(n)))),
                Tuple.of(1, subscriptionRules()),
                Tuple.of(2, sequenceRules()),
                Tuple.of(1, bucketRules()));
    }

    /**
     * {@code performed A [where] [window] then [not] B [where] [within D] ...}: 2 or 3 steps over the vocabulary's
     * event names (the same name twice too), gaps from 0 minutes to 30 months, sometimes a negated last step.
     */
    public static Arbitrary<Rule> sequenceRules() {
        Arbitrary<List<FieldRule>> where = fieldRules(EVENT_PATHS).list().ofMaxSize(1);
        Arbitrary<SequenceRule.Step> first = Combinators.combine(Arbitraries.of(RandomData.EVENT_NAMES), where)
                .as((name, w) -> new SequenceRule.Step(name, w, false, null));
        Arbitrary<SequenceRule.Step> later = Combinators.combine(Arbitraries.of(RandomData.EVENT_NAMES), where,
                        spans().injectNull(0.3))
                .as((name, w, gap) -> new SequenceRule.Step(name, w, false, gap));
        Arbitrary<Boolean> negatedLast = Arbitraries.of(true, false);
        Arbitrary<Rule> rules = Combinators.combine(first, later.list().ofMinSize(1).ofMaxSize(2), negatedLast,
                        windows().injectNull(0.4))
                .as((head, rest, negated, window) -> {
                    List<SequenceRule.Step> steps = new java.util.ArrayList<>();
                    steps.add(head);
                    steps.addAll(rest);
                    if (negated) {
                        SequenceRule.Step last = steps.remove(steps.size() - 1);
                        steps.add(new SequenceRule.Step(last.eventName(), last.where(), true, last.within()));
                    }
                    return (Rule) new SequenceRule(steps, window);
                });
        return Arbitraries.frequencyOf(Tuple.of(3, rules), Tuple.of(1, rules.map(r -> (Rule) new Not(r))));
    }

    /** {@code random bucket op n} with n at the edges (0, 1, 99, 100) and in between. */
    public static Arbitrary<Rule> bucketRules() {
        return Combinators.combine(Arbitraries.of(CompareOp.class),
                        Arbitraries.of(0, 1, 10, 37, 50, 63, 99, 100))
                .as((op, n) -> (Rule) new BucketRule(op, n));
    }

    /** {@code anniversary today} or {@code within next} 1 to 366 days' worth of days, weeks or months. */
    public static Arbitrary<FieldCondition> anniversaries() {
        return Arbitraries.oneOf(
                Arbitraries.just((FieldCondition) new Anniversary(null)),
                Arbitraries.of(1, 2, 3, 7, 30, 200, 365)
                        .map(n -> (FieldCondition) new Anniversary(new Span(n, Span.Unit.DAY))),
                Arbitraries.of(1, 2, 52)
                        .map(n -> (FieldCondition) new Anniversary(new Span(n, Span.Unit.WEEK))),
                Arbitraries.of(1, 12)
                        .map(n -> (FieldCondition) new Anniversary(new Span(n, Span.Unit.MONTH))));
    }

    /** Profile paths of the vocabulary, including keys that need quoting. */
    public static Arbitrary<FieldPath> userPaths() {
        return Arbitraries.of(USER_PATHS).map(p -> new FieldPath(List.of(p)));
    }

    public static Arbitrary<FieldRule> fieldRules(String[][] paths) {
        return Combinators.combine(Arbitraries.of(paths).map(p -> new FieldPath(List.of(p))), conditions())
                .as(FieldRule::new);
    }

    public static Arbitrary<Rule> subscriptionRules() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(SubscriptionRule.Target.class),
                        Arbitraries.of("Email", "Push", "SMS", "Newsletter", "Marketing Email", "Push Marketing",
                                "SMS Marketing", "Nope"))
                .as((subscribed, target, name) -> (Rule) new SubscriptionRule(subscribed, target, name));
    }

    public static Arbitrary<FieldCondition> conditions() {
        Arbitrary<List<Value>> lists = values().list().ofMinSize(1).ofMaxSize(5);
        return Arbitraries.frequencyOf(
                Tuple.of(2, values().map(v -> (FieldCondition) new FieldCondition.Compare(CompareOp.EQ, v))),
                Tuple.of(1, values().map(v -> (FieldCondition) new FieldCondition.Compare(CompareOp.NE, v))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(CompareOp.LT, CompareOp.LE, CompareOp.GT, CompareOp.GE),
                        numbers()).as((op, n) -> (FieldCondition) new FieldCondition.Compare(op, n))),
                Tuple.of(1, Combinators.combine(numbers(), numbers())
                        .as((a, b) -> (FieldCondition) new FieldCondition.Between(a, b))),
                Tuple.of(1, Combinators.combine(values(), Arbitraries.of(new Value.Text("x"), new Value.Number(BigDecimal.ONE)))
                        .as((a, b) -> (FieldCondition) new FieldCondition.Between(a, b))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(true, false), lists)
                        .as((negated, vs) -> (FieldCondition) new FieldCondition.In(negated, vs))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(true, false), values())
                        .as((negated, v) -> (FieldCondition) new FieldCondition.Contains(negated, v))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(FieldCondition.Quantifier.class), lists)
                        .as((q, vs) -> (FieldCondition) new FieldCondition.ContainsSet(q, vs))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(FieldCondition.AffixKind.class),
                        Arbitraries.of("x", "", "X", "é", "S", "i", "2026-02"))
                        .as((k, t) -> (FieldCondition) new FieldCondition.Affix(k, t))),
                Tuple.of(1, Arbitraries.of(true, false).map(n -> (FieldCondition) new FieldCondition.IsSet(n))),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (FieldCondition) new FieldCondition.IsBool(b))),
                Tuple.of(3, dateConditions().map(d -> (FieldCondition) d)),
                Tuple.of(1, anniversaries()));
    }

    public static Arbitrary<DateCondition> dateConditions() {
        return Arbitraries.oneOf(
                times().map(t -> (DateCondition) new DateCondition.Before(t)),
                times().map(t -> (DateCondition) new DateCondition.After(t)),
                days().map(d -> (DateCondition) new DateCondition.On(d)),
                Combinators.combine(times(), times()).as((a, b) -> (DateCondition) new DateCondition.Between(a, b)),
                spans().map(s -> (DateCondition) new DateCondition.WithinLast(s)),
                spans().map(s -> (DateCondition) new DateCondition.MoreThanAgo(s)),
                spans().map(s -> (DateCondition) new DateCondition.WithinNext(s)));
    }

    public static Arbitrary<Window> windows() {
        return Arbitraries.oneOf(
                Arbitraries.just(new Window.Ever()),
                spans().map(s -> (Window) new Window.During(new DateCondition.WithinLast(s))),
                times().map(t -> (Window) new Window.During(new DateCondition.Before(t))),
                times().map(t -> (Window) new Window.During(new DateCondition.After(t))),
                Combinators.combine(times(), times())
                        .as((a, b) -> (Window) new Window.During(new DateCondition.Between(a, b))));
    }

    public static Arbitrary<Rule> eventRules() {
        Arbitrary<Rule> rules = positiveEventRules().map(r -> (Rule) r);
        return Arbitraries.frequencyOf(
                Tuple.of(3, rules),
                Tuple.of(1, rules.map(r -> (Rule) new Not(r))));
    }

    /** {@code performed ...} with where, count, window and aggregate, each sometimes absent; never negated. */
    public static Arbitrary<EventRule> positiveEventRules() {
        Arbitrary<FieldRule> where = Arbitraries.oneOf(
                fieldRules(EVENT_PATHS),
                Combinators.combine(Arbitraries.of(EVENT_PATHS).map(p -> new FieldPath(List.of(p))),
                        Arbitraries.of(new Value.Text("jacket"), new Value.Number(BigDecimal.TEN)))
                        .as((p, v) -> new FieldRule(p, new FieldCondition.Compare(CompareOp.EQ, v))));
        Arbitrary<Count> counts = Combinators.combine(Arbitraries.of(Count.Op.class), Arbitraries.longs().between(0, 4))
                .as(Count::new);
        Arbitrary<Aggregate> aggregates = Combinators.combine(Arbitraries.of(Aggregate.Function.class),
                        Arbitraries.of(new String[][] {{"amount"}, {"tags"}, {"missing"}})
                                .map(p -> new FieldPath(List.of(p))),
                        Arbitraries.of(CompareOp.class), numbers().map(Value.Number::value))
                .as(Aggregate::new);
        return Combinators.combine(
                        Arbitraries.of(RandomData.EVENT_NAMES),
                        where.list().ofMaxSize(2),
                        counts.injectNull(0.5),
                        windows().injectNull(0.3),
                        aggregates.injectNull(0.7))
                .as(EventRule::new);
    }

    public static Arbitrary<Rule> recencyRules() {
        return Combinators.combine(Arbitraries.of(RecencyRule.Which.class), Arbitraries.of(RandomData.EVENT_NAMES),
                        fieldRules(EVENT_PATHS).list().ofMaxSize(1), dateConditions())
                .as((which, name, where, when) -> (Rule) new RecencyRule(which, name, where, when));
    }

    public static Arbitrary<Span> spans() {
        return Combinators.combine(Arbitraries.frequencyOf(
                                Tuple.of(1, Arbitraries.just(0L)),
                                Tuple.of(3, Arbitraries.longs().between(1, 30))),
                        Arbitraries.of(Span.Unit.class))
                .as(Span::new);
    }

    public static Arbitrary<TimeLiteral> times() {
        return Arbitraries.oneOf(days().map(d -> (TimeLiteral) d),
                Arbitraries.of(RandomData.MOMENTS).map(m -> (TimeLiteral) new TimeLiteral.Moment(OffsetDateTime.parse(m))));
    }

    public static Arbitrary<TimeLiteral.Day> days() {
        return Arbitraries.of(RandomData.DAYS).map(d -> new TimeLiteral.Day(LocalDate.parse(d)));
    }

    /** Literals as the rule language writes them: plain decimals, large, tiny and negative. */
    public static Arbitrary<Value.Number> numbers() {
        return Arbitraries.of(RandomData.NUMBERS).map(n -> new Value.Number(new BigDecimal(n.toPlainString())));
    }

    public static Arbitrary<Value> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, numbers().map(n -> (Value) n)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Value) new Value.Bool(b))),
                Tuple.of(1, times().map(t -> (Value) new Value.Date(t))),
                Tuple.of(3, Arbitraries.of(RandomData.TEXTS).map(t -> (Value) new Value.Text(t))));
    }
}
