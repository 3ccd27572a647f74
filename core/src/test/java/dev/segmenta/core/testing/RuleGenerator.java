package dev.segmenta.core.testing;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
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
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The one random-rule generator of the tests: jqwik combinators (so a failing tree shrinks) for every node and
 * condition type of the rule AST, over a {@link Vocabulary} (the names a test's data knows), with {@link Literals}
 * (the values it compares against) and a {@link Shape} (which kinds, how often, how deep, how wide). Each test
 * tunes these to what it checks: the differential tests draw from {@link RandomRules}' vocabulary so that most
 * rules split the random users; the round trip draws awkward names and literals ({@link #awkward()}); the checker's
 * robustness test draws near misses of its schema and syntactic twins.
 *
 * <pre>{@code
 * @Provide Arbitrary<Rule> rules() { return RandomRules.GENERATOR.rules(3); }
 *
 * @Example void fixedDraw() {   // a draw an assertion depends on: inside jqwik, with a fixed seed
 *     Rule rule = RandomRules.GENERATOR.rules(3).generator(1000).next(new Random(7)).value();
 * }
 * }</pre>
 */
public record RuleGenerator(Vocabulary vocabulary, Literals literals, Shape shape) {
    public RuleGenerator {
        Objects.requireNonNull(vocabulary, "vocabulary is null");
        Objects.requireNonNull(literals, "literals is null");
        Objects.requireNonNull(shape, "shape is null");
    }

    /** The kinds of leaf a tree may hold; {@link #ANNIVERSARY} is a field condition, drawn among the others. */
    public enum Kind { FIELD, EVENT, RECENCY, MEMBERSHIP, SUBSCRIPTION, SEQUENCE, BUCKET, ANNIVERSARY }

    /**
     * The names a test's data knows (and, where the test wants them, near misses and nonsense): profile paths,
     * event names and the paths of their fields, the paths aggregates sum, values an event's {@code where}
     * compares to, and the names of lists, segments and channels or message types.
     */
    public record Vocabulary(Arbitrary<FieldPath> userPaths, Arbitrary<String> eventNames,
            Arbitrary<FieldPath> eventPaths, Arbitrary<FieldPath> aggregatePaths, Arbitrary<Value> eventValues,
            Arbitrary<String> lists, Arbitrary<String> segments, Arbitrary<String> subscriptions) {
        public Vocabulary withUserPaths(Arbitrary<FieldPath> paths) {
            return new Vocabulary(paths, eventNames, eventPaths, aggregatePaths, eventValues, lists, segments,
                    subscriptions);
        }

        public Vocabulary withEvents(Arbitrary<String> names, Arbitrary<FieldPath> paths, Arbitrary<Value> values) {
            return new Vocabulary(userPaths, names, paths, aggregatePaths, values, lists, segments, subscriptions);
        }
    }

    /**
     * The literals rules compare against: texts (equality, {@code in}, {@code contains}), affixes ({@code starts
     * with}), numbers (comparisons, aggregates), the upper bounds {@code between} pairs with any value, days and
     * times, spans, count amounts and bucket percentages.
     */
    public record Literals(Arbitrary<String> texts, Arbitrary<String> affixes, Arbitrary<BigDecimal> numbers,
            Arbitrary<Value> upperBounds, Arbitrary<TimeLiteral.Day> days, Arbitrary<TimeLiteral> times,
            Arbitrary<Span> spans, Arbitrary<Long> counts, Arbitrary<Integer> buckets) {}

    /**
     * How trees grow: each leaf kind's weight (0 leaves it out), the weights of a leaf, {@code not}, {@code and},
     * {@code or} and of syntactic twins ({@code p and p}, {@code p or not p}) at each level above the leaves, how
     * many children a group has, how many {@code where} conditions a recency rule or a sequence step has (an event
     * rule one more) and how many steps a sequence has.
     */
    public record Shape(Map<Kind, Integer> kinds, int leaf, int not, int and, int or, int twins, int minChildren,
            int maxChildren, int maxWhere, int maxSteps) {
        public Shape {
            kinds = Map.copyOf(kinds);
        }

        /** The kinds named, equally often; none of the others. */
        public Shape only(Kind... named) {
            Map<Kind, Integer> out = new EnumMap<>(Kind.class);
            for (Kind kind : named) {
                out.put(kind, 1);
            }
            return new Shape(out, leaf, not, and, or, twins, minChildren, maxChildren, maxWhere, maxSteps);
        }

        /** This kind {@code weight} times as often as a kind of weight 1 (0: never). */
        public Shape weigh(Kind kind, int weight) {
            Map<Kind, Integer> out = new EnumMap<>(Kind.class);
            out.putAll(kinds);
            out.put(kind, weight);
            return new Shape(out, leaf, not, and, or, twins, minChildren, maxChildren, maxWhere, maxSteps);
        }

        public Shape groups(int leaf, int not, int and, int or, int twins) {
            return new Shape(kinds, leaf, not, and, or, twins, minChildren, maxChildren, maxWhere, maxSteps);
        }

        public Shape sizes(int minChildren, int maxChildren, int maxWhere, int maxSteps) {
            return new Shape(kinds, leaf, not, and, or, twins, minChildren, maxChildren, maxWhere, maxSteps);
        }

        int weight(Kind kind) {
            return kinds.getOrDefault(kind, 0);
        }
    }

    /** Fields most often, then events, sequences, the rest once; groups of two or three; one {@code where}. */
    public static Shape defaultShape() {
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        kinds.put(Kind.FIELD, 3);
        kinds.put(Kind.EVENT, 2);
        kinds.put(Kind.RECENCY, 1);
        kinds.put(Kind.MEMBERSHIP, 1);
        kinds.put(Kind.SUBSCRIPTION, 1);
        kinds.put(Kind.SEQUENCE, 2);
        kinds.put(Kind.BUCKET, 1);
        kinds.put(Kind.ANNIVERSARY, 1);
        return new Shape(kinds, 8, 1, 2, 1, 0, 2, 3, 1, 3);
    }

    public RuleGenerator with(Vocabulary vocabulary) {
        return new RuleGenerator(vocabulary, literals, shape);
    }

    public RuleGenerator with(Literals literals) {
        return new RuleGenerator(vocabulary, literals, shape);
    }

    public RuleGenerator with(Shape shape) {
        return new RuleGenerator(vocabulary, literals, shape);
    }

    /**
     * Any name and any literal, on purpose awkward for the printer and parser: keywords and odd characters as field
     * names, quotes and backslashes in strings, negative and high-scale numbers, date-times with offsets and
     * fractions, every kind equally often.
     */
    public static RuleGenerator awkward() {
        Arbitrary<String> names = AwkwardLiterals.texts();
        Arbitrary<FieldPath> paths = AwkwardLiterals.fieldPaths();
        Arbitrary<Value> anyValue = values(AwkwardLiterals.texts(), AwkwardLiterals.numbers(),
                AwkwardLiterals.timeLiterals());
        Vocabulary vocabulary = new Vocabulary(paths, names, paths, paths, anyValue, names, names, names);
        Literals literals = new Literals(AwkwardLiterals.texts(), AwkwardLiterals.texts(), AwkwardLiterals.numbers(),
                anyValue, AwkwardLiterals.days(), AwkwardLiterals.timeLiterals(), AwkwardLiterals.spans(),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 5), Arbitraries.longs().greaterOrEqual(0)),
                Arbitraries.integers().between(0, 100));
        return new RuleGenerator(vocabulary, literals,
                defaultShape().only(Kind.values()).groups(4, 1, 2, 2, 0).sizes(2, 3, 2, 5));
    }

    /** Trees with up to {@code depth} levels of and/or/not above the leaves. */
    public Arbitrary<Rule> rules(int depth) {
        if (depth <= 0) {
            return leaves();
        }
        Arbitrary<Rule> child = Arbitraries.lazy(() -> rules(depth - 1));
        Arbitrary<List<Rule>> children = child.list().ofMinSize(shape.minChildren()).ofMaxSize(shape.maxChildren());
        return weighted(List.of(
                Tuple.of(shape.leaf(), leaves()),
                Tuple.of(shape.not(), child.map(r -> (Rule) new Not(r))),
                Tuple.of(shape.and(), children.map(rs -> (Rule) new And(rs))),
                Tuple.of(shape.or(), children.map(rs -> (Rule) new Or(rs))),
                // duplicates and complements, so the linter's syntactic checks have something to find
                Tuple.of(shape.twins(), child.map(r -> (Rule) new And(List.of(r, r)))),
                Tuple.of(shape.twins(), child.map(r -> (Rule) new Or(List.of(r, new Not(r)))))));
    }

    /** One leaf of the kinds the shape allows, by their weights. */
    public Arbitrary<Rule> leaves() {
        return weighted(List.of(
                Tuple.of(shape.weight(Kind.FIELD), fieldRules(vocabulary.userPaths()).map(r -> (Rule) r)),
                Tuple.of(shape.weight(Kind.EVENT), eventRules()),
                Tuple.of(shape.weight(Kind.RECENCY), recencyRules()),
                Tuple.of(shape.weight(Kind.MEMBERSHIP), Arbitraries.oneOf(
                        vocabulary.lists().map(n -> (Rule) new ListRule(n)),
                        vocabulary.segments().map(n -> (Rule) new SegmentRule(n)))),
                Tuple.of(shape.weight(Kind.SUBSCRIPTION), subscriptionRules()),
                Tuple.of(shape.weight(Kind.SEQUENCE), sequenceRules()),
                Tuple.of(shape.weight(Kind.BUCKET), bucketRules())));
    }

    /**
     * {@code performed A [where] [window] then [not] B [where] [within D] ...}: 2 to {@code maxSteps} steps over the
     * vocabulary's event names (the same name twice too), sometimes a negated last step, a quarter negated.
     */
    public Arbitrary<Rule> sequenceRules() {
        Arbitrary<List<FieldRule>> where = fieldRules(vocabulary.eventPaths()).list().ofMaxSize(shape.maxWhere());
        Arbitrary<SequenceRule.Step> first = Combinators.combine(vocabulary.eventNames(), where)
                .as((name, w) -> new SequenceRule.Step(name, w, false, null));
        Arbitrary<SequenceRule.Step> later = Combinators.combine(vocabulary.eventNames(), where,
                        literals.spans().injectNull(0.3))
                .as((name, w, gap) -> new SequenceRule.Step(name, w, false, gap));
        Arbitrary<Rule> rules = Combinators.combine(first, later.list().ofMinSize(1).ofMaxSize(shape.maxSteps() - 1),
                        Arbitraries.of(true, false), windows().injectNull(0.4))
                .as((head, rest, negated, window) -> {
                    List<SequenceRule.Step> steps = new ArrayList<>();
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

    /** {@code random bucket op n} over the literals' percentages. */
    public Arbitrary<Rule> bucketRules() {
        return Combinators.combine(Arbitraries.of(CompareOp.class), literals.buckets())
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

    public Arbitrary<FieldRule> fieldRules(Arbitrary<FieldPath> paths) {
        return Combinators.combine(paths, conditions()).as(FieldRule::new);
    }

    public Arbitrary<Rule> subscriptionRules() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(SubscriptionRule.Target.class),
                        vocabulary.subscriptions())
                .as((subscribed, target, name) -> (Rule) new SubscriptionRule(subscribed, target, name));
    }

    /** Every field condition; {@code between} never of two dates, which the language reads as a date range. */
    public Arbitrary<FieldCondition> conditions() {
        Arbitrary<List<Value>> lists = values().list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<Value> numbers = numbers().map(n -> (Value) n);
        return weighted(List.of(
                Tuple.of(2, values().map(v -> (FieldCondition) new FieldCondition.Compare(CompareOp.EQ, v))),
                Tuple.of(1, values().map(v -> (FieldCondition) new FieldCondition.Compare(CompareOp.NE, v))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(CompareOp.LT, CompareOp.LE, CompareOp.GT, CompareOp.GE),
                        numbers()).as((op, n) -> (FieldCondition) new FieldCondition.Compare(op, n))),
                Tuple.of(1, Combinators.combine(numbers, numbers)
                        .as((a, b) -> (FieldCondition) new FieldCondition.Between(a, b))),
                Tuple.of(1, Combinators.combine(values(), literals.upperBounds())
                        .filter((a, b) -> !(a instanceof Value.Date && b instanceof Value.Date))
                        .as((a, b) -> (FieldCondition) new FieldCondition.Between(a, b))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(true, false), lists)
                        .as((negated, vs) -> (FieldCondition) new FieldCondition.In(negated, vs))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(true, false), values())
                        .as((negated, v) -> (FieldCondition) new FieldCondition.Contains(negated, v))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(FieldCondition.Quantifier.class), lists)
                        .as((q, vs) -> (FieldCondition) new FieldCondition.ContainsSet(q, vs))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(FieldCondition.AffixKind.class), literals.affixes())
                        .as((k, t) -> (FieldCondition) new FieldCondition.Affix(k, t))),
                Tuple.of(1, Arbitraries.of(true, false).map(n -> (FieldCondition) new FieldCondition.IsSet(n))),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (FieldCondition) new FieldCondition.IsBool(b))),
                Tuple.of(3, dateConditions().map(d -> (FieldCondition) d)),
                Tuple.of(shape.weight(Kind.ANNIVERSARY), anniversaries())));
    }

    public Arbitrary<DateCondition> dateConditions() {
        Arbitrary<TimeLiteral> times = literals.times();
        Arbitrary<Span> spans = literals.spans();
        return Arbitraries.oneOf(
                times.map(t -> (DateCondition) new DateCondition.Before(t)),
                times.map(t -> (DateCondition) new DateCondition.After(t)),
                literals.days().map(d -> (DateCondition) new DateCondition.On(d)),
                Combinators.combine(times, times).as((a, b) -> (DateCondition) new DateCondition.Between(a, b)),
                spans.map(s -> (DateCondition) new DateCondition.WithinLast(s)),
                spans.map(s -> (DateCondition) new DateCondition.MoreThanAgo(s)),
                spans.map(s -> (DateCondition) new DateCondition.WithinNext(s)));
    }

    public Arbitrary<Window> windows() {
        Arbitrary<TimeLiteral> times = literals.times();
        return Arbitraries.oneOf(
                Arbitraries.just(new Window.Ever()),
                literals.spans().map(s -> (Window) new Window.During(new DateCondition.WithinLast(s))),
                times.map(t -> (Window) new Window.During(new DateCondition.Before(t))),
                times.map(t -> (Window) new Window.During(new DateCondition.After(t))),
                Combinators.combine(times, times)
                        .as((a, b) -> (Window) new Window.During(new DateCondition.Between(a, b))));
    }

    /** {@code performed ...}, a quarter of them negated. */
    public Arbitrary<Rule> eventRules() {
        Arbitrary<Rule> rules = positiveEventRules().map(r -> (Rule) r);
        return Arbitraries.frequencyOf(
                Tuple.of(3, rules),
                Tuple.of(1, rules.map(r -> (Rule) new Not(r))));
    }

    /** {@code performed ...} with where, count, window and aggregate, each sometimes absent; never negated. */
    public Arbitrary<EventRule> positiveEventRules() {
        Arbitrary<FieldRule> where = Arbitraries.oneOf(
                fieldRules(vocabulary.eventPaths()),
                Combinators.combine(vocabulary.eventPaths(), vocabulary.eventValues())
                        .as((p, v) -> new FieldRule(p, new FieldCondition.Compare(CompareOp.EQ, v))));
        Arbitrary<Count> counts = Combinators.combine(Arbitraries.of(Count.Op.class), literals.counts())
                .as(Count::new);
        Arbitrary<Aggregate> aggregates = Combinators.combine(Arbitraries.of(Aggregate.Function.class),
                        vocabulary.aggregatePaths(), Arbitraries.of(CompareOp.class), literals.numbers())
                .as(Aggregate::new);
        return Combinators.combine(
                        vocabulary.eventNames(),
                        where.list().ofMaxSize(shape.maxWhere() + 1),
                        counts.injectNull(0.5),
                        windows().injectNull(0.3),
                        aggregates.injectNull(0.7))
                .as(EventRule::new);
    }

    public Arbitrary<Rule> recencyRules() {
        return Combinators.combine(Arbitraries.of(RecencyRule.Which.class), vocabulary.eventNames(),
                        fieldRules(vocabulary.eventPaths()).list().ofMaxSize(shape.maxWhere()), dateConditions())
                .as((which, name, where, when) -> (Rule) new RecencyRule(which, name, where, when));
    }

    public Arbitrary<Value.Number> numbers() {
        return literals.numbers().map(Value.Number::new);
    }

    /** Texts three times as often as each of numbers, booleans and dates. */
    public Arbitrary<Value> values() {
        return values(literals.texts(), literals.numbers(), literals.times());
    }

    /** Values of every type from these literals, texts three times as often as each other type. */
    public static Arbitrary<Value> values(Arbitrary<String> texts, Arbitrary<BigDecimal> numbers,
            Arbitrary<TimeLiteral> times) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, numbers.map(n -> (Value) new Value.Number(n))),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Value) new Value.Bool(b))),
                Tuple.of(1, times.map(t -> (Value) new Value.Date(t))),
                Tuple.of(3, texts.map(t -> (Value) new Value.Text(t))));
    }

    /** {@code frequencyOf} without the choices of weight 0. */
    private static <T> Arbitrary<T> weighted(List<Tuple.Tuple2<Integer, Arbitrary<T>>> choices) {
        List<Tuple.Tuple2<Integer, Arbitrary<T>>> kept = new ArrayList<>();
        for (Tuple.Tuple2<Integer, Arbitrary<T>> choice : choices) {
            if (choice.get1() > 0) {
                kept.add(choice);
            }
        }
        return Arbitraries.frequencyOf(kept);
    }
}
