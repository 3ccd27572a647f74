package dev.segmenta.core.testing;

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
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for every node and condition type of the rule AST, with awkward literals on purpose: keywords
 * and odd characters as field names, quotes and backslashes in strings, negative and high-scale numbers,
 * date-times with offsets and fractions. Reusable by any module's property tests, e.g.
 *
 * <pre>{@code
 * @Property
 * void notIsTheNegation(@ForAll("rules") Rule rule) { ... }
 *
 * @Provide
 * Arbitrary<Rule> rules() { return RuleArbitraries.rules(); }
 * }</pre>
 */
public final class RuleArbitraries {
    private RuleArbitraries() {}

    /** Rule trees up to three groups deep. */
    public static Arbitrary<Rule> rules() {
        return rules(3);
    }

    /** Rule trees with at most {@code maxDepth} levels of and/or/not above the leaves. */
    public static Arbitrary<Rule> rules(int maxDepth) {
        if (maxDepth <= 0) {
            return leafRules();
        }
        Arbitrary<Rule> child = Arbitraries.lazy(() -> rules(maxDepth - 1));
        Arbitrary<List<Rule>> children = child.list().ofMinSize(2).ofMaxSize(3);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leafRules()),
                net.jqwik.api.Tuple.of(2, children.map(rs -> (Rule) new And(rs))),
                net.jqwik.api.Tuple.of(2, children.map(rs -> (Rule) new Or(rs))),
                net.jqwik.api.Tuple.of(1, child.map(r -> (Rule) new Not(r))));
    }

    /** Every rule type that is not a group. */
    public static Arbitrary<Rule> leafRules() {
        return Arbitraries.oneOf(
                fieldRules().map(r -> (Rule) r),
                eventRules().map(r -> (Rule) r),
                recencyRules().map(r -> (Rule) r),
                names().map(n -> (Rule) new ListRule(n)),
                names().map(n -> (Rule) new SegmentRule(n)),
                subscriptionRules().map(r -> (Rule) r),
                sequenceRules().map(r -> (Rule) r),
                Combinators.combine(Arbitraries.of(CompareOp.class), Arbitraries.integers().between(0, 100))
                        .as((op, n) -> (Rule) new dev.segmenta.core.ast.BucketRule(op, n)));
    }

    /** 2 to 5 steps, any of them with where and a time, the last sometimes negated. */
    public static Arbitrary<dev.segmenta.core.ast.SequenceRule> sequenceRules() {
        Arbitrary<dev.segmenta.core.ast.SequenceRule.Step> steps = Combinators.combine(
                        names(), fieldRules().list().ofMaxSize(2), spans().injectNull(0.4))
                .as((name, where, within) -> new dev.segmenta.core.ast.SequenceRule.Step(name, where, false, within));
        return Combinators.combine(steps.list().ofMinSize(2).ofMaxSize(5), Arbitraries.of(true, false),
                        windows().injectNull(0.5))
                .as((list, negated, window) -> {
                    List<dev.segmenta.core.ast.SequenceRule.Step> out = new java.util.ArrayList<>(list);
                    dev.segmenta.core.ast.SequenceRule.Step first = out.get(0);
                    out.set(0, new dev.segmenta.core.ast.SequenceRule.Step(first.eventName(), first.where(), false,
                            null));
                    dev.segmenta.core.ast.SequenceRule.Step last = out.get(out.size() - 1);
                    out.set(out.size() - 1, new dev.segmenta.core.ast.SequenceRule.Step(last.eventName(), last.where(),
                            negated, last.within()));
                    return new dev.segmenta.core.ast.SequenceRule(out, window);
                });
    }

    public static Arbitrary<FieldRule> fieldRules() {
        return Combinators.combine(fieldPaths(), fieldConditions()).as(FieldRule::new);
    }

    public static Arbitrary<EventRule> eventRules() {
        return Combinators.combine(
                        names(),
                        fieldRules().list().ofMaxSize(3),
                        counts().injectNull(0.5),
                        windows().injectNull(0.4),
                        aggregates().injectNull(0.6))
                .as(EventRule::new);
    }

    public static Arbitrary<RecencyRule> recencyRules() {
        return Combinators.combine(
                        Arbitraries.of(RecencyRule.Which.class),
                        names(),
                        fieldRules().list().ofMaxSize(2),
                        dateConditions())
                .as(RecencyRule::new);
    }

    public static Arbitrary<SubscriptionRule> subscriptionRules() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(SubscriptionRule.Target.class), names())
                .as(SubscriptionRule::new);
    }

    public static Arbitrary<Count> counts() {
        return Combinators.combine(
                        Arbitraries.of(Count.Op.class),
                        Arbitraries.oneOf(Arbitraries.longs().between(0, 5), Arbitraries.longs().greaterOrEqual(0)))
                .as(Count::new);
    }

    public static Arbitrary<Window> windows() {
        Arbitrary<Window> during = Arbitraries.oneOf(
                        spans().map(DateCondition.WithinLast::new),
                        timeLiterals().map(DateCondition.Before::new),
                        timeLiterals().map(DateCondition.After::new),
                        Combinators.combine(timeLiterals(), timeLiterals()).as(DateCondition.Between::new))
                .map(Window.During::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Window.Ever())),
                net.jqwik.api.Tuple.of(4, during));
    }

    public static Arbitrary<Aggregate> aggregates() {
        return Combinators.combine(
                        Arbitraries.of(Aggregate.Function.class), fieldPaths(), Arbitraries.of(CompareOp.class), numbers())
                .as(Aggregate::new);
    }

    /** Paths of one to three steps; steps include keywords, digits first, spaces, dots and backquotes. */
    public static Arbitrary<FieldPath> fieldPaths() {
        return fieldSteps().list().ofMinSize(1).ofMaxSize(3).map(FieldPath::new);
    }

    public static Arbitrary<String> fieldSteps() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().withCharRange('a', 'z').withChars('_', 'Q', '7')
                        .ofMinLength(1).ofMaxLength(8).filter(s -> !Character.isDigit(s.charAt(0)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("signupDate", "and", "OR", "Not", "performed", "first", "last",
                        "in", "where", "time", "set", "true", "ever", "with", "sum", "days", "subscribed", "random", "bucket",
                        "then", "anniversary", "today")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars(" `.-é\"\\0a(").ofMinLength(1).ofMaxLength(5)));
    }

    public static Arbitrary<FieldCondition> fieldConditions() {
        Arbitrary<List<Value>> valueLists = values().list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(CompareOp.EQ, CompareOp.NE), values())
                        .as(FieldCondition.Compare::new),
                Combinators.combine(Arbitraries.of(CompareOp.class), numbers().map(Value.Number::new))
                        .as(FieldCondition.Compare::new),
                Combinators.combine(values(), values())
                        .filter((low, high) -> !(low instanceof Value.Date && high instanceof Value.Date))
                        .as(FieldCondition.Between::new),
                Combinators.combine(Arbitraries.of(true, false), valueLists).as(FieldCondition.In::new),
                Combinators.combine(Arbitraries.of(true, false), values()).as(FieldCondition.Contains::new),
                Combinators.combine(Arbitraries.of(FieldCondition.Quantifier.class), valueLists)
                        .as(FieldCondition.ContainsSet::new),
                Combinators.combine(Arbitraries.of(FieldCondition.AffixKind.class), texts())
                        .as(FieldCondition.Affix::new),
                Arbitraries.of(true, false).map(FieldCondition.IsSet::new),
                Arbitraries.of(true, false).map(FieldCondition.IsBool::new),
                dateConditions().map(c -> (FieldCondition) c),
                Arbitraries.integers().between(0, 365).map(n -> (FieldCondition) new dev.segmenta.core.ast.Anniversary(
                        n == 0 ? null : new Span(n, Span.Unit.DAY))));
    }

    public static Arbitrary<DateCondition> dateConditions() {
        return Arbitraries.oneOf(
                timeLiterals().map(DateCondition.Before::new),
                timeLiterals().map(DateCondition.After::new),
                days().map(DateCondition.On::new),
                Combinators.combine(timeLiterals(), timeLiterals()).as(DateCondition.Between::new),
                spans().map(DateCondition.WithinLast::new),
                spans().map(DateCondition.MoreThanAgo::new),
                spans().map(DateCondition.WithinNext::new));
    }

    public static Arbitrary<Value> values() {
        return Arbitraries.oneOf(
                texts().map(Value.Text::new),
                numbers().map(Value.Number::new),
                Arbitraries.of(true, false).map(Value.Bool::new),
                timeLiterals().map(Value.Date::new));
    }

    /** Strings with quotes, backslashes, newlines, backquotes, keywords and arbitrary characters. */
    public static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars(' ').ofMaxLength(10),
                Arbitraries.strings().withChars("\"\\ \n\t`'éa[]").ofMaxLength(6),
                Arbitraries.strings().all().ofMaxLength(4),
                Arbitraries.of("", "purchase", "and", "Beta testers", "not performed \"x\""));
    }

    /** Names of events, lists, segments, channels and message types: any string. */
    public static Arbitrary<String> names() {
        return texts();
    }

    /** Negative, zero, integral and high-scale decimals, and negative scales (which the AST normalises). */
    public static Arbitrary<BigDecimal> numbers() {
        return Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.longs().between(-1000, 1000), Arbitraries.longs()),
                        Arbitraries.integers().between(-3, 6))
                .as(BigDecimal::valueOf);
    }

    public static Arbitrary<Span> spans() {
        // Up to the longest a rule may name (Span.MAX, 100 years), in each unit.
        return Arbitraries.of(Span.Unit.class).flatMap(unit -> Arbitraries.oneOf(Arbitraries.longs().between(0, 3),
                        Arbitraries.longs().between(0, Math.min(100_000, unit.max())))
                .map(amount -> new Span(amount, unit)));
    }

    public static Arbitrary<TimeLiteral> timeLiterals() {
        return Arbitraries.oneOf(days().map(d -> (TimeLiteral) d), moments().map(m -> (TimeLiteral) m));
    }

    public static Arbitrary<TimeLiteral.Day> days() {
        return localDates().map(TimeLiteral.Day::new);
    }

    /** Date-times with seconds and fractions sometimes zero, sometimes not, and offsets of whole minutes. */
    public static Arbitrary<TimeLiteral.Moment> moments() {
        Arbitrary<Integer> nanos = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999_999));
        Arbitrary<ZoneOffset> offsets = Arbitraries.oneOf(
                Arbitraries.just(ZoneOffset.UTC),
                Arbitraries.integers().between(-18 * 60, 18 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60)));
        return Combinators.combine(
                        localDates(),
                        Arbitraries.integers().between(0, 23),
                        Arbitraries.integers().between(0, 59),
                        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 59)),
                        nanos,
                        offsets)
                .as((date, h, m, s, n, offset) ->
                        new TimeLiteral.Moment(OffsetDateTime.of(date, LocalTime.of(h, m, s, n), offset)));
    }

    private static Arbitrary<LocalDate> localDates() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(2000, 2040),
                Arbitraries.integers().between(0, 9999))
                .flatMap(year -> Arbitraries.integers().between(1, LocalDate.of(year, 1, 1).lengthOfYear())
                        .map(day -> LocalDate.ofYearDay(year, day)));
    }
}
