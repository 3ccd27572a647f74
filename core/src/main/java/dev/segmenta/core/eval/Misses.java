package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import dev.segmenta.core.eval.Explanation.Miss;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sentence and the distance of a leaf that does not hold: "1 purchase, needs at least 3" (distance 2/3),
 * "last login 32 days ago, needs within last 30 days" (2/30). Distances are in [0, 1]; anything not measurable
 * (a wrong text, a missing field, a list) is 1.
 */
final class Misses {
    private static final Duration CALENDAR_SCALE = Duration.ofDays(30);

    private final Instant now;
    private final ZoneId zone;

    Misses(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    static Miss unmeasured(Rule rule, String reason) {
        return new Miss(RuleLabel.of(rule), reason, 1.0);
    }

    Miss field(FieldRule rule, List<Object> values) {
        FieldCondition condition = rule.condition();
        String needs = ", needs " + RuleLabel.condition(condition);
        String label = RuleLabel.of(rule);
        if (values.isEmpty()) {
            return new Miss(label, RuleLabel.path(rule.field()) + " is not set" + needs, 1.0);
        }
        String reason = facts(rule, values) + needs;
        if (condition.negativeForm()) {
            return new Miss(label, reason, 1.0);
        }
        return new Miss(label, reason, fieldDistance(condition, FieldValues.scalars(values)));
    }

    String facts(FieldRule rule, List<Object> values) {
        String shown = values.stream().map(this::show).collect(Collectors.joining(", "));
        return RuleLabel.path(rule.field()) + (values.size() == 1 ? " is " : " has ") + shown;
    }

    private double fieldDistance(FieldCondition condition, List<Object> scalars) {
        double best = 1.0;
        for (Object scalar : scalars) {
            best = Math.min(best, scalarDistance(condition, scalar));
        }
        return best;
    }

    private double scalarDistance(FieldCondition condition, Object scalar) {
        return condition.accept(distance, scalar);
    }

    /**
     * How far one scalar is from meeting a positive condition. Only times, ordered numbers and days are measured;
     * every other kind of condition is 1, as a wrong text is.
     */
    private final FieldCondition.BiVisitor<Double, Object> distance = new FieldCondition.BiVisitor<>() {
        @Override
        public Double date(DateCondition date, Object scalar) {
            return Dates.of(scalar, zone).map(t -> timeDistance(t, date.interval(now, zone), scale(date))).orElse(1.0);
        }

        @Override
        public Double compare(FieldCondition.Compare c, Object scalar) {
            return c.value().accept(new Value.Visitor<Double>() {
                @Override
                public Double number(Value.Number bound) {
                    return Numbers.of(scalar).map(v -> numberDistance(v, c.op(), bound.value())).orElse(1.0);
                }

                @Override
                public Double date(Value.Date d) {
                    return d.value().accept(new TimeLiteral.Visitor<Double>() {
                        @Override
                        public Double day(TimeLiteral.Day day) {
                            TimeInterval interval = new DateCondition.On(day).interval(now, zone);
                            return Dates.of(scalar, zone).map(t -> timeDistance(t, interval, CALENDAR_SCALE))
                                    .orElse(1.0);
                        }

                        @Override
                        public Double moment(TimeLiteral.Moment moment) {
                            return 1.0;
                        }
                    });
                }

                @Override
                public Double text(Value.Text text) {
                    return 1.0;
                }

                @Override
                public Double bool(Value.Bool bool) {
                    return 1.0;
                }
            });
        }

        @Override
        public Double between(FieldCondition.Between b, Object scalar) {
            Optional<BigDecimal> number = Numbers.of(scalar);
            if (b.low() instanceof Value.Number lo && b.high() instanceof Value.Number hi && number.isPresent()) {
                BigDecimal v = number.get();
                return v.compareTo(lo.value()) < 0
                        ? numberDistance(v, CompareOp.GE, lo.value())
                        : numberDistance(v, CompareOp.LE, hi.value());
            }
            return 1.0;
        }

        @Override
        public Double in(FieldCondition.In in, Object scalar) {
            return 1.0;
        }

        @Override
        public Double contains(FieldCondition.Contains contains, Object scalar) {
            return 1.0;
        }

        @Override
        public Double containsSet(FieldCondition.ContainsSet set, Object scalar) {
            return 1.0;
        }

        @Override
        public Double affix(FieldCondition.Affix affix, Object scalar) {
            return 1.0;
        }

        @Override
        public Double isSet(FieldCondition.IsSet isSet, Object scalar) {
            return 1.0;
        }

        @Override
        public Double isBool(FieldCondition.IsBool isBool, Object scalar) {
            return 1.0;
        }

        @Override
        public Double anniversary(Anniversary anniversary, Object scalar) {
            return 1.0;
        }
    };

    Miss events(EventRule rule, EventMatch match) {
        String label = RuleLabel.of(rule);
        long n = match.events().size();
        Count count = rule.effectiveCount();
        String found = n + " " + rule.eventName() + windowText(rule.window());
        if (!count.holds(n)) {
            String needs = count.op().keywords() + " " + count.times();
            double gap = Math.abs(n - count.times()) / (double) Math.max(count.times(), 1);
            return new Miss(label, found + ", needs " + needs, Math.min(1.0, gap));
        }
        EventMatch.AggregateValue aggregate = match.aggregate();
        String function = aggregate.aggregate().function().keyword() + "(" + RuleLabel.path(aggregate.aggregate().field())
                + ")";
        String needs = ", needs " + aggregate.aggregate().op().symbol() + " "
                + aggregate.aggregate().value().toPlainString();
        Optional<BigDecimal> value = aggregate.value();
        if (value.isEmpty()) {
            return new Miss(label, function + " has no values in " + found + needs, 1.0);
        }
        double distance = numberDistance(value.get(), aggregate.aggregate().op(), aggregate.aggregate().value());
        return new Miss(label, function + " is " + plain(value.get()) + " over " + found + needs, distance);
    }

    Miss recency(RecencyRule rule, RecencyMatch match) {
        String label = RuleLabel.of(rule);
        String which = rule.which().keyword();
        String needs = ", needs " + RuleLabel.date(rule.condition());
        if (match.time() == null) {
            return new Miss(label, "never performed " + rule.eventName() + ", needs " + which + " "
                    + rule.eventName() + " " + RuleLabel.date(rule.condition()), 1.0);
        }
        return new Miss(label, recencyFacts(rule, match) + needs,
                timeDistance(match.time(), match.interval(), scale(rule.condition())));
    }

    String recencyFacts(RecencyRule rule, RecencyMatch match) {
        return rule.which().keyword() + " " + rule.eventName() + " " + relative(match.time()) + " ("
                + match.time() + ")";
    }

    /** How far {@code t} lies outside {@code interval}, over {@code scale}, capped at 1. */
    static double timeDistance(Instant t, TimeInterval interval, Duration scale) {
        Duration gap = Duration.ZERO;
        if (interval.from() != null && t.compareTo(interval.from()) <= 0) {
            gap = Duration.between(t, interval.from());
        } else if (interval.to() != null && t.compareTo(interval.to()) >= 0) {
            gap = Duration.between(interval.to(), t);
        }
        return Math.min(1.0, gap.toMillis() / (double) scale.toMillis());
    }

    private static Duration scale(DateCondition condition) {
        Duration span = condition.accept(RELATIVE_SPAN);
        if (span == null) {
            return CALENDAR_SCALE;
        }
        return span.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : span;
    }

    /** The span of a condition relative to now; null for the calendar forms, which are measured in months. */
    private static final DateCondition.Visitor<Duration> RELATIVE_SPAN = new DateCondition.Visitor<>() {
        @Override
        public Duration before(DateCondition.Before c) {
            return null;
        }

        @Override
        public Duration after(DateCondition.After c) {
            return null;
        }

        @Override
        public Duration on(DateCondition.On c) {
            return null;
        }

        @Override
        public Duration between(DateCondition.Between c) {
            return null;
        }

        @Override
        public Duration withinLast(DateCondition.WithinLast c) {
            return c.span().toDuration();
        }

        @Override
        public Duration moreThanAgo(DateCondition.MoreThanAgo c) {
            return c.span().toDuration();
        }

        @Override
        public Duration withinNext(DateCondition.WithinNext c) {
            return c.span().toDuration();
        }
    };

    private static double numberDistance(BigDecimal v, CompareOp op, BigDecimal bound) {
        BigDecimal gap;
        switch (op) {
            case LT:
            case LE:
                gap = v.subtract(bound);
                break;
            case GT:
            case GE:
                gap = bound.subtract(v);
                break;
            default:
                gap = v.subtract(bound).abs();
        }
        BigDecimal scale = bound.abs().max(BigDecimal.ONE);
        double d = gap.max(BigDecimal.ZERO).divide(scale, MathContext.DECIMAL64).doubleValue();
        return Math.min(1.0, d);
    }

    private static String windowText(Window window) {
        return window == null ? "" : " " + RuleLabel.window(window);
    }

    /** {@code "32 days ago"}, {@code "in 3 hours"}, {@code "now"}: whole units, rounded down. */
    String relative(Instant t) {
        Duration d = Duration.between(t, now);
        boolean past = !d.isNegative();
        d = d.abs();
        String amount;
        if (d.toDays() > 0) {
            amount = plural(d.toDays(), "day");
        } else if (d.toHours() > 0) {
            amount = plural(d.toHours(), "hour");
        } else if (d.toMinutes() > 0) {
            amount = plural(d.toMinutes(), "minute");
        } else {
            return "now";
        }
        return past ? amount + " ago" : "in " + amount;
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    String show(Object value) {
        if (value instanceof String s) {
            Optional<Instant> date = Dates.parse(s, zone);
            return RuleLabel.text(s) + date.map(t -> " (" + relative(t) + ")").orElse("");
        }
        if (value instanceof Instant t) {
            return t + " (" + relative(t) + ")";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::show).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return Numbers.of(value).map(Misses::plain).orElse(String.valueOf(value));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
