package dev.segmenta.core.check;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
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
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random rule trees of every node type, with names drawn from the test schema, near misses and nonsense, and
 * literals of every type on every field — well-typed or not — to shake the checker, linter and describer.
 */
final class RandomRules {
    private RandomRules() {}

    static Arbitrary<Rule> rules() {
        return rule(4);
    }

    private static Arbitrary<Rule> rule(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Rule> child = Arbitraries.lazy(() -> rule(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf()),
                net.jqwik.api.Tuple.of(1, child.list().ofMinSize(2).ofMaxSize(4).map(rs -> (Rule) new And(rs))),
                net.jqwik.api.Tuple.of(1, child.list().ofMinSize(2).ofMaxSize(4).map(rs -> (Rule) new Or(rs))),
                net.jqwik.api.Tuple.of(1, child.map(r -> (Rule) new Not(r))),
                // duplicates and complements, so the syntactic lints are exercised
                net.jqwik.api.Tuple.of(1, child.map(r -> (Rule) new And(java.util.List.of(r, r)))),
                net.jqwik.api.Tuple.of(1, child.map(r -> (Rule) new Or(java.util.List.of(r, new Not(r))))));
    }

    private static Arbitrary<Rule> leaf() {
        return Arbitraries.oneOf(
                fieldRule(userPaths()).map(r -> (Rule) r),
                eventRule(),
                recencyRule(),
                names("Beta testers", "Beta tester", "").map(n -> (Rule) new ListRule(n)),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(SubscriptionRule.Target.class),
                        names("Email", "Newsletter", "Emial")).as((s, t, n) -> (Rule) new SubscriptionRule(s, t, n)),
                names("Active", "Buyers", "active", "Loop").map(n -> (Rule) new SegmentRule(n)));
    }

    private static Arbitrary<String> names(String... known) {
        return Arbitraries.oneOf(Arbitraries.of(known), Arbitraries.strings().ofMaxLength(12));
    }

    private static Arbitrary<FieldPath> userPaths() {
        return Arbitraries.oneOf(
                Arbitraries.of("state", "sate", "plan", "age", "vip", "lastOrderDate", "coupon", "address",
                        "address.city", "tags", "items", "items.name", "signupDate", "email", "nope.deep")
                        .map(FieldPath::parseDotted),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().ofMinSize(1).ofMaxSize(3)
                        .map(FieldPath::new));
    }

    private static Arbitrary<FieldPath> eventPaths() {
        return Arbitraries.of("item", "amount", "device", "itme", "x.y").map(FieldPath::parseDotted);
    }

    private static Arbitrary<FieldRule> fieldRule(Arbitrary<FieldPath> paths) {
        return Combinators.combine(paths, condition()).as(FieldRule::new);
    }

    private static Arbitrary<Rule> eventRule() {
        Arbitrary<Count> counts = Combinators.combine(Arbitraries.of(Count.Op.class), Arbitraries.longs().between(0, 5))
                .as(Count::new).injectNull(0.5);
        Arbitrary<Window> windows = Arbitraries.<Window>oneOf(
                Arbitraries.just((Window) new Window.Ever()),
                windowCondition().map(c -> (Window) new Window.During(c))).injectNull(0.4);
        Arbitrary<Aggregate> aggregates = Combinators.combine(Arbitraries.of(Aggregate.Function.class), eventPaths(),
                Arbitraries.of(CompareOp.class), numbers()).as(Aggregate::new).injectNull(0.6);
        return Combinators.combine(names("purchase", "login", "emailOpen", "purchse"),
                fieldRule(eventPaths()).list().ofMaxSize(2), counts, windows, aggregates)
                .as((n, w, c, win, a) -> (Rule) new EventRule(n, w, c, win, a));
    }

    private static Arbitrary<Rule> recencyRule() {
        return Combinators.combine(Arbitraries.of(RecencyRule.Which.class), names("login", "purchase"),
                fieldRule(eventPaths()).list().ofMaxSize(2), dateCondition())
                .as((which, n, w, c) -> (Rule) new RecencyRule(which, n, w, c));
    }

    private static Arbitrary<FieldCondition> condition() {
        Arbitrary<java.util.List<Value>> valueLists = value().list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(CompareOp.EQ, CompareOp.NE), value())
                        .as(FieldCondition.Compare::new),
                Combinators.combine(Arbitraries.of(CompareOp.LT, CompareOp.LE, CompareOp.GT, CompareOp.GE),
                        numbers().map(Value.Number::new)).as(FieldCondition.Compare::new),
                Combinators.combine(numbers().map(n -> (Value) new Value.Number(n)), value())
                        .as(FieldCondition.Between::new),
                Combinators.combine(Arbitraries.of(true, false), valueLists).as(FieldCondition.In::new),
                Combinators.combine(Arbitraries.of(true, false), value()).as(FieldCondition.Contains::new),
                Combinators.combine(Arbitraries.of(FieldCondition.Quantifier.class), valueLists)
                        .as(FieldCondition.ContainsSet::new),
                Combinators.combine(Arbitraries.of(FieldCondition.AffixKind.class), Arbitraries.strings().ofMaxLength(5))
                        .as(FieldCondition.Affix::new),
                Arbitraries.of(true, false).map(FieldCondition.IsSet::new),
                Arbitraries.of(true, false).map(FieldCondition.IsBool::new),
                dateCondition().map(c -> (FieldCondition) c));
    }

    private static Arbitrary<DateCondition> dateCondition() {
        Arbitrary<Span> spans = Combinators.combine(Arbitraries.longs().between(0, 400), Arbitraries.of(Span.Unit.class))
                .as(Span::new);
        return Arbitraries.oneOf(
                windowCondition(),
                days().map(DateCondition.On::new),
                spans.map(DateCondition.MoreThanAgo::new),
                spans.map(DateCondition.WithinNext::new));
    }

    /** The conditions an event window allows. */
    private static Arbitrary<DateCondition> windowCondition() {
        Arbitrary<Span> spans = Combinators.combine(Arbitraries.longs().between(0, 400), Arbitraries.of(Span.Unit.class))
                .as(Span::new);
        return Arbitraries.oneOf(
                spans.map(DateCondition.WithinLast::new),
                times().map(DateCondition.Before::new),
                times().map(DateCondition.After::new),
                Combinators.combine(times(), times()).as(DateCondition.Between::new));
    }

    private static Arbitrary<Value> value() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(6).map(Value.Text::new),
                numbers().map(Value.Number::new),
                Arbitraries.of(true, false).map(Value.Bool::new),
                times().map(Value.Date::new));
    }

    private static Arbitrary<BigDecimal> numbers() {
        return Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1000), BigDecimal.valueOf(1000)).ofScale(2);
    }

    private static Arbitrary<TimeLiteral.Day> days() {
        return Arbitraries.integers().between(0, 3000)
                .map(d -> new TimeLiteral.Day(LocalDate.of(2020, 1, 1).plusDays(d)));
    }

    private static Arbitrary<TimeLiteral> times() {
        return Arbitraries.oneOf(
                days().map(d -> (TimeLiteral) d),
                Arbitraries.longs().between(0, 100_000_000L).map(s -> (TimeLiteral) new TimeLiteral.Moment(
                        OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(2)).plusSeconds(s))));
    }
}
