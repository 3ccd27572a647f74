package dev.segmenta.core.text;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.SequenceRule;
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
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a rule as canonical rule-language text: lower-case keywords, single spaces, and only the parentheses
 * the grammar needs to read the same tree back, so {@code RuleParser.parse(print(rule)).rule().equals(rule)}
 * for every rule.
 *
 * <p>Example: {@code And[FieldRule(signupDate, WithinLast(30 days)), Not(EventRule("purchase"))]} prints as
 * {@code signupDate within last 30 days and not performed "purchase"}; {@code And[a, And[b, c]]} prints as
 * {@code a and (b and c)}.
 */
public final class RulePrinter {
    private static final RuleVisitor<String> PRINTER = new Printer();

    private RulePrinter() {}

    /** The canonical text of {@code rule}. */
    public static String print(Rule rule) {
        return rule.accept(PRINTER);
    }

    /** A field path: {@code address.city}, {@code `my field`.x}. */
    public static String print(FieldPath path) {
        return path.steps().stream().map(RulePrinter::step).collect(Collectors.joining("."));
    }

    /** A literal: {@code "CA"}, {@code 42.5}, {@code 2026-01-31}, {@code 2026-01-31T10:00Z}, {@code true}. */
    public static String print(Value value) {
        if (value instanceof Value.Text) {
            return quote(((Value.Text) value).value());
        }
        if (value instanceof Value.Number) {
            return ((Value.Number) value).value().toPlainString();
        }
        if (value instanceof Value.Bool) {
            return String.valueOf(((Value.Bool) value).value());
        }
        return print(((Value.Date) value).value());
    }

    /** A condition on a field, without the field: {@code within last 30 days}, {@code not in ["a", "b"]}. */
    public static String print(FieldCondition condition) {
        if (condition instanceof FieldCondition.Compare) {
            FieldCondition.Compare c = (FieldCondition.Compare) condition;
            return c.op().symbol() + " " + print(c.value());
        }
        if (condition instanceof FieldCondition.Between) {
            FieldCondition.Between b = (FieldCondition.Between) condition;
            return "between " + print(b.low()) + " and " + print(b.high());
        }
        if (condition instanceof FieldCondition.In) {
            FieldCondition.In in = (FieldCondition.In) condition;
            return (in.negated() ? "not in " : "in ") + list(in.values());
        }
        if (condition instanceof FieldCondition.Contains) {
            FieldCondition.Contains c = (FieldCondition.Contains) condition;
            return (c.negated() ? "not contains " : "contains ") + print(c.value());
        }
        if (condition instanceof FieldCondition.ContainsSet) {
            FieldCondition.ContainsSet c = (FieldCondition.ContainsSet) condition;
            return "contains " + c.quantifier().keyword() + " " + list(c.values());
        }
        if (condition instanceof FieldCondition.Affix) {
            FieldCondition.Affix a = (FieldCondition.Affix) condition;
            return (a.kind() == FieldCondition.AffixKind.STARTS_WITH ? "starts with " : "ends with ")
                    + quote(a.text());
        }
        if (condition instanceof FieldCondition.IsSet) {
            return ((FieldCondition.IsSet) condition).negated() ? "is not set" : "is set";
        }
        if (condition instanceof FieldCondition.IsBool) {
            return ((FieldCondition.IsBool) condition).value() ? "is true" : "is false";
        }
        if (condition instanceof Anniversary a) {
            return a.within() == null ? "anniversary today" : "anniversary within next " + span(a.within());
        }
        return dateCondition((DateCondition) condition);
    }

    private static String dateCondition(DateCondition condition) {
        if (condition instanceof DateCondition.Before) {
            return "before " + print(((DateCondition.Before) condition).time());
        }
        if (condition instanceof DateCondition.After) {
            return "after " + print(((DateCondition.After) condition).time());
        }
        if (condition instanceof DateCondition.On) {
            return "on " + print(((DateCondition.On) condition).day());
        }
        if (condition instanceof DateCondition.Between) {
            DateCondition.Between b = (DateCondition.Between) condition;
            return "between " + print(b.from()) + " and " + print(b.to());
        }
        if (condition instanceof DateCondition.WithinLast) {
            return "within last " + span(((DateCondition.WithinLast) condition).span());
        }
        if (condition instanceof DateCondition.WithinNext) {
            return "within next " + span(((DateCondition.WithinNext) condition).span());
        }
        return "more than " + span(((DateCondition.MoreThanAgo) condition).span()) + " ago";
    }

    /** {@code 2026-01-31}, or {@code 2026-01-31T10:00Z} with seconds and fraction only when they are not zero. */
    public static String print(TimeLiteral time) {
        if (time instanceof TimeLiteral.Day) {
            return day(((TimeLiteral.Day) time).date());
        }
        OffsetDateTime t = ((TimeLiteral.Moment) time).dateTime();
        StringBuilder s = new StringBuilder(day(t.toLocalDate()))
                .append('T').append(two(t.getHour())).append(':').append(two(t.getMinute()));
        if (t.getSecond() != 0 || t.getNano() != 0) {
            s.append(':').append(two(t.getSecond()));
        }
        if (t.getNano() != 0) {
            String nanos = String.format("%09d", t.getNano());
            // Whole milliseconds print as .fff, the form people write; finer fractions keep every digit.
            s.append('.').append(nanos.endsWith("000000") ? nanos.substring(0, 3) : nanos.replaceAll("0+$", ""));
        }
        ZoneOffset offset = t.getOffset();
        if (offset.getTotalSeconds() == 0) {
            s.append('Z');
        } else {
            int minutes = Math.abs(offset.getTotalSeconds()) / 60;
            s.append(offset.getTotalSeconds() < 0 ? '-' : '+').append(two(minutes / 60)).append(':')
                    .append(two(minutes % 60));
        }
        return s.toString();
    }

    private static String day(LocalDate date) {
        return String.format("%04d-%02d-%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }

    private static String span(Span span) {
        return span.amount() + " " + span.unit().keyword() + (span.amount() == 1 ? "" : "s");
    }

    private static String list(List<Value> values) {
        return values.stream().map(RulePrinter::print).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * A string literal as the rule language writes it: only {@code "} and {@code \} need escaping; every other
     * character is written as is ({@code say "hi"} → {@code "say \"hi\""}). The one quoting routine: printer,
     * describer and checker messages all quote with it.
     */
    public static String quote(String text) {
        StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.append('"').toString();
    }

    /** A plain identifier stays bare; anything else, and any keyword, is backquoted (with {@code `} doubled). */
    private static String step(String step) {
        boolean plain = Lexer.isIdentifierStart(step.charAt(0))
                && step.chars().allMatch(c -> Lexer.isIdentifierPart((char) c))
                && !Keywords.isKeyword(step);
        return plain ? step : "`" + step.replace("`", "``") + "`";
    }

    private static final class Printer implements RuleVisitor<String> {
        @Override
        public String visitAnd(And rule) {
            // An 'and' inside an 'and' keeps its parentheses: the parser never flattens across them.
            return join(rule.rules(), " and ", child -> child instanceof And || child instanceof Or);
        }

        @Override
        public String visitOr(Or rule) {
            // 'and' binds tighter than 'or', so only a nested 'or' needs parentheses.
            return join(rule.rules(), " or ", child -> child instanceof Or);
        }

        @Override
        public String visitNot(Not rule) {
            Rule inner = rule.rule();
            return "not " + (inner instanceof And || inner instanceof Or ? group(inner) : inner.accept(this));
        }

        @Override
        public String visitField(FieldRule rule) {
            return print(rule.field()) + " " + print(rule.condition());
        }

        @Override
        public String visitEvent(EventRule rule) {
            StringBuilder s = new StringBuilder("performed ").append(quote(rule.eventName()));
            where(s, rule.where());
            if (rule.count() != null) {
                Count c = rule.count();
                s.append(' ').append(c.op().keywords()).append(' ').append(c.times())
                        .append(c.times() == 1 ? " time" : " times");
            }
            window(s, rule.window());
            if (rule.aggregate() != null) {
                Aggregate a = rule.aggregate();
                s.append(" with ").append(a.function().keyword()).append('(').append(print(a.field())).append(") ")
                        .append(a.op().symbol()).append(' ').append(a.value().toPlainString());
            }
            return s.toString();
        }

        @Override
        public String visitRecency(RecencyRule rule) {
            StringBuilder s = new StringBuilder(rule.which().keyword()).append(" performed ")
                    .append(quote(rule.eventName()));
            where(s, rule.where());
            return s.append(' ').append(dateCondition(rule.condition())).toString();
        }

        @Override
        public String visitList(ListRule rule) {
            return "in list " + quote(rule.listName());
        }

        @Override
        public String visitSubscription(SubscriptionRule rule) {
            return (rule.subscribed() ? "subscribed to " : "unsubscribed from ") + rule.target().keywords() + " "
                    + quote(rule.name());
        }

        @Override
        public String visitSegment(SegmentRule rule) {
            return "in segment " + quote(rule.segmentName());
        }

        @Override
        public String visitSequence(SequenceRule rule) {
            SequenceRule.Step first = rule.steps().get(0);
            StringBuilder s = new StringBuilder("performed ").append(quote(first.eventName()));
            where(s, first.where());
            window(s, rule.window());
            for (SequenceRule.Step step : rule.steps().subList(1, rule.steps().size())) {
                s.append(step.negated() ? " then not " : " then ").append(quote(step.eventName()));
                where(s, step.where());
                if (step.within() != null) {
                    s.append(" within ").append(span(step.within()));
                }
            }
            return s.toString();
        }

        @Override
        public String visitBucket(BucketRule rule) {
            return "random bucket " + rule.op().symbol() + " " + rule.value();
        }

        private void window(StringBuilder s, Window window) {
            if (window != null) {
                s.append(' ').append(window instanceof Window.During
                        ? dateCondition(((Window.During) window).condition())
                        : "ever");
            }
        }

        private void where(StringBuilder s, List<FieldRule> where) {
            if (where.isEmpty()) {
                return;
            }
            String rules = where.stream().map(this::visitField).collect(Collectors.joining(" and "));
            s.append(" where ").append(where.size() == 1 ? rules : "(" + rules + ")");
        }

        private String join(List<Rule> rules, String separator, java.util.function.Predicate<Rule> needsGroup) {
            return rules.stream()
                    .map(child -> needsGroup.test(child) ? group(child) : child.accept(this))
                    .collect(Collectors.joining(separator));
        }

        private String group(Rule rule) {
            return "(" + rule.accept(this) + ")";
        }
    }
}
