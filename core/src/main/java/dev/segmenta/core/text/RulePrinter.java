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
        return value.accept(VALUES);
    }

    /** A condition on a field, without the field: {@code within last 30 days}, {@code not in ["a", "b"]}. */
    public static String print(FieldCondition condition) {
        return condition.accept(CONDITIONS);
    }

    /** An event window: {@code within last 30 days}, {@code ever}. */
    public static String print(Window window) {
        return window.accept(WINDOWS);
    }

    private static String dateCondition(DateCondition condition) {
        return condition.accept(DATES);
    }

    private static final Value.Visitor<String> VALUES = new Value.Visitor<>() {
        @Override
        public String text(Value.Text value) {
            return quote(value.value());
        }

        @Override
        public String number(Value.Number value) {
            return value.value().toPlainString();
        }

        @Override
        public String bool(Value.Bool value) {
            return String.valueOf(value.value());
        }

        @Override
        public String date(Value.Date value) {
            return print(value.value());
        }
    };

    private static final FieldCondition.Visitor<String> CONDITIONS = new FieldCondition.Visitor<>() {
        @Override
        public String compare(FieldCondition.Compare c) {
            return c.op().symbol() + " " + print(c.value());
        }

        @Override
        public String between(FieldCondition.Between b) {
            return "between " + print(b.low()) + " and " + print(b.high());
        }

        @Override
        public String in(FieldCondition.In in) {
            return (in.negated() ? "not in " : "in ") + list(in.values());
        }

        @Override
        public String contains(FieldCondition.Contains c) {
            return (c.negated() ? "not contains " : "contains ") + print(c.value());
        }

        @Override
        public String containsSet(FieldCondition.ContainsSet c) {
            return "contains " + c.quantifier().keyword() + " " + list(c.values());
        }

        @Override
        public String affix(FieldCondition.Affix a) {
            return (a.kind() == FieldCondition.AffixKind.STARTS_WITH ? "starts with " : "ends with ")
                    + quote(a.text());
        }

        @Override
        public String isSet(FieldCondition.IsSet c) {
            return c.negated() ? "is not set" : "is set";
        }

        @Override
        public String isBool(FieldCondition.IsBool c) {
            return c.value() ? "is true" : "is false";
        }

        @Override
        public String date(DateCondition c) {
            return dateCondition(c);
        }

        @Override
        public String anniversary(Anniversary a) {
            return a.within() == null ? "anniversary today" : "anniversary within next " + span(a.within());
        }
    };

    private static final DateCondition.Visitor<String> DATES = new DateCondition.Visitor<>() {
        @Override
        public String before(DateCondition.Before c) {
            return "before " + print(c.time());
        }

        @Override
        public String after(DateCondition.After c) {
            return "after " + print(c.time());
        }

        @Override
        public String on(DateCondition.On c) {
            return "on " + print(c.day());
        }

        @Override
        public String between(DateCondition.Between b) {
            return "between " + print(b.from()) + " and " + print(b.to());
        }

        @Override
        public String withinLast(DateCondition.WithinLast c) {
            return "within last " + span(c.span());
        }

        @Override
        public String moreThanAgo(DateCondition.MoreThanAgo c) {
            return "more than " + span(c.span()) + " ago";
        }

        @Override
        public String withinNext(DateCondition.WithinNext c) {
            return "within next " + span(c.span());
        }
    };

    private static final TimeLiteral.Visitor<String> TIMES = new TimeLiteral.Visitor<>() {
        @Override
        public String day(TimeLiteral.Day literal) {
            return RulePrinter.day(literal.date());
        }

        @Override
        public String moment(TimeLiteral.Moment literal) {
            return RulePrinter.moment(literal.dateTime());
        }
    };

    private static final Window.Visitor<String> WINDOWS = new Window.Visitor<>() {
        @Override
        public String ever(Window.Ever window) {
            return "ever";
        }

        @Override
        public String during(Window.During window) {
            return dateCondition(window.condition());
        }
    };

    /** {@code 2026-01-31}, or {@code 2026-01-31T10:00Z} with seconds and fraction only when they are not zero. */
    public static String print(TimeLiteral time) {
        return time.accept(TIMES);
    }

    private static String moment(OffsetDateTime t) {
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
                s.append(' ').append(window.accept(WINDOWS));
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
