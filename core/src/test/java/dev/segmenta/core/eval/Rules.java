package dev.segmenta.core.eval;

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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Small builders for rule ASTs in tests, named after the rule-language words. */
final class Rules {
    private Rules() {}

    static FieldRule f(String path, FieldCondition condition) {
        return new FieldRule(FieldPath.parseDotted(path), condition);
    }

    static Value val(Object v) {
        if (v instanceof Value value) {
            return value;
        }
        if (v instanceof String s) {
            return new Value.Text(s);
        }
        if (v instanceof Boolean b) {
            return new Value.Bool(b);
        }
        if (v instanceof TimeLiteral t) {
            return new Value.Date(t);
        }
        return new Value.Number(new BigDecimal(v.toString()));
    }

    static List<Value> vals(Object... vs) {
        return Arrays.stream(vs).map(Rules::val).collect(Collectors.toList());
    }

    static FieldCondition eq(Object v) {
        return new FieldCondition.Compare(CompareOp.EQ, val(v));
    }

    static FieldCondition ne(Object v) {
        return new FieldCondition.Compare(CompareOp.NE, val(v));
    }

    static FieldCondition cmp(String symbol, Object v) {
        return new FieldCondition.Compare(CompareOp.fromSymbol(symbol), val(v));
    }

    static FieldCondition between(Object lo, Object hi) {
        return new FieldCondition.Between(val(lo), val(hi));
    }

    static FieldCondition in(Object... vs) {
        return new FieldCondition.In(false, vals(vs));
    }

    static FieldCondition notIn(Object... vs) {
        return new FieldCondition.In(true, vals(vs));
    }

    static FieldCondition contains(Object v) {
        return new FieldCondition.Contains(false, val(v));
    }

    static FieldCondition notContains(Object v) {
        return new FieldCondition.Contains(true, val(v));
    }

    static FieldCondition containsAny(Object... vs) {
        return new FieldCondition.ContainsSet(FieldCondition.Quantifier.ANY, vals(vs));
    }

    static FieldCondition containsAll(Object... vs) {
        return new FieldCondition.ContainsSet(FieldCondition.Quantifier.ALL, vals(vs));
    }

    static FieldCondition startsWith(String s) {
        return new FieldCondition.Affix(FieldCondition.AffixKind.STARTS_WITH, s);
    }

    static FieldCondition endsWith(String s) {
        return new FieldCondition.Affix(FieldCondition.AffixKind.ENDS_WITH, s);
    }

    static FieldCondition isSet() {
        return new FieldCondition.IsSet(false);
    }

    static FieldCondition isNotSet() {
        return new FieldCondition.IsSet(true);
    }

    static FieldCondition isBool(boolean b) {
        return new FieldCondition.IsBool(b);
    }

    static TimeLiteral.Day day(String iso) {
        return new TimeLiteral.Day(LocalDate.parse(iso));
    }

    static TimeLiteral.Moment moment(String iso) {
        return new TimeLiteral.Moment(OffsetDateTime.parse(iso));
    }

    static DateCondition before(TimeLiteral t) {
        return new DateCondition.Before(t);
    }

    static DateCondition after(TimeLiteral t) {
        return new DateCondition.After(t);
    }

    static DateCondition on(String iso) {
        return new DateCondition.On(day(iso));
    }

    static DateCondition dateBetween(TimeLiteral a, TimeLiteral b) {
        return new DateCondition.Between(a, b);
    }

    static DateCondition withinLast(long n, Span.Unit unit) {
        return new DateCondition.WithinLast(new Span(n, unit));
    }

    static DateCondition moreThanAgo(long n, Span.Unit unit) {
        return new DateCondition.MoreThanAgo(new Span(n, unit));
    }

    static DateCondition withinNext(long n, Span.Unit unit) {
        return new DateCondition.WithinNext(new Span(n, unit));
    }

    static Rule not(Rule r) {
        return new Not(r);
    }

    static Rule and(Rule... rs) {
        return new And(List.of(rs));
    }

    static Rule or(Rule... rs) {
        return new Or(List.of(rs));
    }

    static Ev performed(String name) {
        return new Ev(name, List.of(), null, null, null);
    }

    static RecencyRule first(String name, DateCondition c, FieldRule... where) {
        return new RecencyRule(RecencyRule.Which.FIRST, name, List.of(where), c);
    }

    static RecencyRule last(String name, DateCondition c, FieldRule... where) {
        return new RecencyRule(RecencyRule.Which.LAST, name, List.of(where), c);
    }

    static ListRule inList(String name) {
        return new ListRule(name);
    }

    static SubscriptionRule subscribedTo(SubscriptionRule.Target target, String name) {
        return new SubscriptionRule(true, target, name);
    }

    static SubscriptionRule unsubscribedFrom(SubscriptionRule.Target target, String name) {
        return new SubscriptionRule(false, target, name);
    }

    static SegmentRule inSegment(String name) {
        return new SegmentRule(name);
    }

    /** An {@link EventRule} under construction: {@code performed("purchase").atLeast(3).window(...)}. */
    record Ev(String name, List<FieldRule> where, Count count, Window window, Aggregate aggregate) {
        Ev where(FieldRule... rules) {
            return new Ev(name, List.of(rules), count, window, aggregate);
        }

        Ev atLeast(long n) {
            return new Ev(name, where, new Count(Count.Op.AT_LEAST, n), window, aggregate);
        }

        Ev atMost(long n) {
            return new Ev(name, where, new Count(Count.Op.AT_MOST, n), window, aggregate);
        }

        Ev exactly(long n) {
            return new Ev(name, where, new Count(Count.Op.EXACTLY, n), window, aggregate);
        }

        Ev during(DateCondition c) {
            return new Ev(name, where, count, new Window.During(c), aggregate);
        }

        Ev ever() {
            return new Ev(name, where, count, new Window.Ever(), aggregate);
        }

        Ev with(Aggregate.Function fn, String field, String op, Object v) {
            return new Ev(name, where, count, window,
                    new Aggregate(fn, FieldPath.parseDotted(field), CompareOp.fromSymbol(op),
                            new BigDecimal(v.toString())));
        }

        EventRule rule() {
            return new EventRule(name, where, count, window, aggregate);
        }
    }
}
