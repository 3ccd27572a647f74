package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
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
import dev.segmenta.core.ast.RuleVisitor;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The label of an explanation node: the node in rule-language text, e.g.
 * {@code performed "purchase" at least 3 times within last 90 days}. Follows the grammar of DESIGN.md §3 so a
 * label reads like the rule the user wrote.
 */
final class RuleLabel implements RuleVisitor<String> {
    private static final RuleLabel INSTANCE = new RuleLabel();
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RuleLabel() {}

    static String of(Rule rule) {
        return rule.accept(INSTANCE);
    }

    @Override
    public String visitAnd(And rule) {
        return rule.rules().stream()
                .map(r -> r instanceof And || r instanceof Or ? "(" + of(r) + ")" : of(r))
                .collect(Collectors.joining(" and "));
    }

    @Override
    public String visitOr(Or rule) {
        return rule.rules().stream()
                .map(r -> r instanceof Or ? "(" + of(r) + ")" : of(r))
                .collect(Collectors.joining(" or "));
    }

    @Override
    public String visitNot(Not rule) {
        Rule inner = rule.rule();
        return "not " + (inner instanceof And || inner instanceof Or ? "(" + of(inner) + ")" : of(inner));
    }

    @Override
    public String visitField(FieldRule rule) {
        return path(rule.field()) + " " + condition(rule.condition());
    }

    @Override
    public String visitEvent(EventRule rule) {
        StringBuilder out = new StringBuilder("performed ").append(text(rule.eventName())).append(where(rule.where()));
        if (rule.count() != null) {
            out.append(' ').append(count(rule.count()));
        }
        if (rule.window() != null) {
            out.append(' ').append(window(rule.window()));
        }
        if (rule.aggregate() != null) {
            out.append(' ').append(aggregate(rule.aggregate()));
        }
        return out.toString();
    }

    @Override
    public String visitRecency(RecencyRule rule) {
        return rule.which().keyword() + " performed " + text(rule.eventName()) + where(rule.where()) + " "
                + condition(rule.condition());
    }

    @Override
    public String visitList(ListRule rule) {
        return "in list " + text(rule.listName());
    }

    @Override
    public String visitSubscription(SubscriptionRule rule) {
        return (rule.subscribed() ? "subscribed to " : "unsubscribed from ") + rule.target().keywords() + " "
                + text(rule.name());
    }

    @Override
    public String visitSegment(SegmentRule rule) {
        return "in segment " + text(rule.segmentName());
    }

    static String where(List<FieldRule> where) {
        if (where.isEmpty()) {
            return "";
        }
        if (where.size() == 1) {
            return " where " + of(where.get(0));
        }
        return " where (" + where.stream().map(RuleLabel::of).collect(Collectors.joining(" and ")) + ")";
    }

    static String count(Count count) {
        return count.op().keywords() + " " + count.times() + (count.times() == 1 ? " time" : " times");
    }

    static String window(Window window) {
        return window instanceof Window.During during ? condition(during.condition()) : "ever";
    }

    static String aggregate(Aggregate aggregate) {
        return "with " + aggregate.function().keyword() + "(" + path(aggregate.field()) + ") "
                + aggregate.op().symbol() + " " + aggregate.value().toPlainString();
    }

    static String path(FieldPath path) {
        return path.steps().stream()
                .map(step -> NAME.matcher(step).matches() ? step : "`" + step + "`")
                .collect(Collectors.joining("."));
    }

    static String condition(FieldCondition condition) {
        if (condition instanceof FieldCondition.Compare c) {
            return c.op().symbol() + " " + value(c.value());
        }
        if (condition instanceof FieldCondition.Between b) {
            return "between " + value(b.low()) + " and " + value(b.high());
        }
        if (condition instanceof FieldCondition.In in) {
            return (in.negated() ? "not in " : "in ") + values(in.values());
        }
        if (condition instanceof FieldCondition.Contains c) {
            return (c.negated() ? "not contains " : "contains ") + value(c.value());
        }
        if (condition instanceof FieldCondition.ContainsSet set) {
            return "contains " + set.quantifier().keyword() + " " + values(set.values());
        }
        if (condition instanceof FieldCondition.Affix affix) {
            return (affix.kind() == FieldCondition.AffixKind.STARTS_WITH ? "starts with " : "ends with ")
                    + text(affix.text());
        }
        if (condition instanceof FieldCondition.IsSet isSet) {
            return isSet.negated() ? "is not set" : "is set";
        }
        if (condition instanceof FieldCondition.IsBool bool) {
            return "is " + bool.value();
        }
        return date((DateCondition) condition);
    }

    static String date(DateCondition condition) {
        if (condition instanceof DateCondition.Before b) {
            return "before " + time(b.time());
        }
        if (condition instanceof DateCondition.After a) {
            return "after " + time(a.time());
        }
        if (condition instanceof DateCondition.On on) {
            return "on " + time(on.day());
        }
        if (condition instanceof DateCondition.Between b) {
            return "between " + time(b.from()) + " and " + time(b.to());
        }
        if (condition instanceof DateCondition.WithinLast w) {
            return "within last " + span(w.span());
        }
        if (condition instanceof DateCondition.MoreThanAgo m) {
            return "more than " + span(m.span()) + " ago";
        }
        return "within next " + span(((DateCondition.WithinNext) condition).span());
    }

    static String span(Span span) {
        return span.amount() + " " + span.unit().keyword() + (span.amount() == 1 ? "" : "s");
    }

    static String time(TimeLiteral time) {
        return time instanceof TimeLiteral.Day day
                ? day.date().toString()
                : ((TimeLiteral.Moment) time).dateTime().toString();
    }

    static String values(List<Value> values) {
        return values.stream().map(RuleLabel::value).collect(Collectors.joining(", ", "[", "]"));
    }

    static String value(Value value) {
        if (value instanceof Value.Text t) {
            return text(t.value());
        }
        if (value instanceof Value.Number n) {
            return n.value().toPlainString();
        }
        if (value instanceof Value.Bool b) {
            return String.valueOf(b.value());
        }
        return time(((Value.Date) value).value());
    }

    static String text(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
