package dev.segmenta.core.check;

import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the conditions of one {@code and} group allow for one single-valued field, to prove the group can never
 * hold: {@code x = 1 and x = 2}, {@code x > 5 and x < 3}, {@code x in [1, 2] and x = 3},
 * {@code x = 1 and x is not set}, {@code signupDate within last 30 days and signupDate more than 30 days ago}.
 * Conditions it does not understand are ignored, so it only ever proves contradictions, never invents them.
 */
final class ValueConstraints {
    /**
     * The widest gap between UTC and a project time zone: a date-only literal's day may start this much earlier or
     * later than in UTC, so calendar bounds are widened by it before two of them are said not to meet.
     */
    private static final Duration ANY_ZONE = Duration.ofHours(14);

    private final Instant now;
    /** The instants every date condition so far allows; {@code null} while none. */
    private Instant earliest;
    private boolean earliestInclusive;
    private Instant latest;
    private boolean latestInclusive;
    private boolean dated;

    /** {@code now} anchors relative date conditions ({@code within last 30 days}). */
    ValueConstraints(Instant now) {
        this.now = now;
    }
    /** Normalised values the field must equal one of; {@code null} while unconstrained. */
    private Set<Object> allowed;
    private BigDecimal low;
    private boolean lowInclusive;
    private BigDecimal high;
    private boolean highInclusive;
    private boolean mustBeMissing;
    private boolean mustBePresent;

    /** Adds a condition; returns whether the constraints are still satisfiable. */
    boolean add(FieldCondition c) {
        if (c instanceof FieldCondition.IsSet) {
            if (((FieldCondition.IsSet) c).negated()) {
                mustBeMissing = true;
            } else {
                mustBePresent = true;
            }
        } else if (!c.negativeForm()) {
            // Every positive condition is false on a missing field.
            mustBePresent = true;
        }
        if (c instanceof FieldCondition.Compare) {
            FieldCondition.Compare compare = (FieldCondition.Compare) c;
            if (compare.op() == CompareOp.EQ) {
                restrict(List.of(compare.value()));
            } else if (compare.op() != CompareOp.NE) {
                bound(compare.op(), ((Value.Number) compare.value()).value());
            }
        } else if (c instanceof FieldCondition.In && !((FieldCondition.In) c).negated()) {
            restrict(((FieldCondition.In) c).values());
        } else if (c instanceof FieldCondition.IsBool) {
            restrict(List.of(new Value.Bool(((FieldCondition.IsBool) c).value())));
        } else if (c instanceof FieldCondition.Between) {
            FieldCondition.Between between = (FieldCondition.Between) c;
            if (between.low() instanceof Value.Number && between.high() instanceof Value.Number) {
                bound(CompareOp.GE, ((Value.Number) between.low()).value());
                bound(CompareOp.LE, ((Value.Number) between.high()).value());
            }
        } else if (c instanceof DateCondition && now != null) {
            within((DateCondition) c);
        }
        return satisfiable();
    }

    private void within(DateCondition c) {
        TimeInterval interval;
        try {
            interval = c.interval(now, ZoneOffset.UTC);
        } catch (ArithmeticException | java.time.DateTimeException outOfRange) {
            return; // a span beyond the time line proves nothing here; the checker reports it
        }
        dated = true;
        Instant from = interval.from();
        boolean fromInclusive = interval.fromInclusive();
        Instant to = interval.to();
        boolean toInclusive = interval.toInclusive();
        if (!relative(c)) {
            from = from == null ? null : from.minus(ANY_ZONE);
            to = to == null ? null : to.plus(ANY_ZONE);
        }
        if (from != null && (earliest == null || from.isAfter(earliest) || from.equals(earliest) && !fromInclusive)) {
            earliest = from;
            earliestInclusive = fromInclusive;
        }
        if (to != null && (latest == null || to.isBefore(latest) || to.equals(latest) && !toInclusive)) {
            latest = to;
            latestInclusive = toInclusive;
        }
    }

    /** Conditions whose interval needs no time zone: they are exact in UTC. */
    private static boolean relative(DateCondition c) {
        return c instanceof DateCondition.WithinLast || c instanceof DateCondition.MoreThanAgo || c instanceof DateCondition.WithinNext;
    }

    private void restrict(List<Value> values) {
        Set<Object> set = new HashSet<>();
        values.forEach(v -> set.add(normalise(v)));
        if (allowed == null) {
            allowed = set;
        } else {
            allowed.retainAll(set);
        }
    }

    private void bound(CompareOp op, BigDecimal value) {
        if (op == CompareOp.GT || op == CompareOp.GE) {
            int c = low == null ? -1 : value.compareTo(low);
            if (c > 0 || c == 0 && op == CompareOp.GT || low == null) {
                low = value;
                lowInclusive = op == CompareOp.GE;
            }
        } else {
            int c = high == null ? 1 : value.compareTo(high);
            if (c < 0 || c == 0 && op == CompareOp.LT || high == null) {
                high = value;
                highInclusive = op == CompareOp.LE;
            }
        }
    }

    private boolean satisfiable() {
        if (mustBeMissing && mustBePresent) {
            return false;
        }
        if (dated && earliest != null && latest != null) {
            int c = earliest.compareTo(latest);
            if (c > 0 || c == 0 && !(earliestInclusive && latestInclusive)) {
                return false;
            }
        }
        if (low != null && high != null) {
            int c = low.compareTo(high);
            if (c > 0 || c == 0 && !(lowInclusive && highInclusive)) {
                return false;
            }
        }
        if (allowed == null) {
            return true;
        }
        return allowed.stream().anyMatch(this::withinBounds);
    }

    private boolean withinBounds(Object value) {
        if (low == null && high == null) {
            return true;
        }
        if (!(value instanceof BigDecimal)) {
            // Ordering comparisons only hold for numbers.
            return false;
        }
        BigDecimal v = (BigDecimal) value;
        if (low != null) {
            int c = v.compareTo(low);
            if (c < 0 || c == 0 && !lowInclusive) {
                return false;
            }
        }
        if (high != null) {
            int c = v.compareTo(high);
            return c < 0 || c == 0 && highInclusive;
        }
        return true;
    }

    /** Text compares case-insensitively and numbers by value, as the evaluators do. */
    private static Object normalise(Value value) {
        if (value instanceof Value.Text) {
            return ((Value.Text) value).value().toLowerCase(Locale.ROOT);
        } else if (value instanceof Value.Number) {
            return ((Value.Number) value).value().stripTrailingZeros();
        } else if (value instanceof Value.Bool) {
            return ((Value.Bool) value).value();
        }
        return ((Value.Date) value).value();
    }

    /** Whether a range written on its own can never hold: {@code between 30 and 18}. */
    static boolean emptyRange(FieldCondition c) {
        if (c instanceof FieldCondition.Between) {
            FieldCondition.Between between = (FieldCondition.Between) c;
            if (between.low() instanceof Value.Number && between.high() instanceof Value.Number) {
                return ((Value.Number) between.low()).value().compareTo(((Value.Number) between.high()).value()) > 0;
            }
            if (between.low() instanceof Value.Date && between.high() instanceof Value.Date) {
                return after(((Value.Date) between.low()).value(), ((Value.Date) between.high()).value());
            }
        } else if (c instanceof DateCondition.Between) {
            DateCondition.Between between = (DateCondition.Between) c;
            return after(between.from(), between.to());
        }
        return false;
    }

    /** Only compares literals of the same kind, which need no time zone to order. */
    private static boolean after(TimeLiteral a, TimeLiteral b) {
        if (a instanceof TimeLiteral.Day && b instanceof TimeLiteral.Day) {
            return ((TimeLiteral.Day) a).date().isAfter(((TimeLiteral.Day) b).date());
        }
        if (a instanceof TimeLiteral.Moment && b instanceof TimeLiteral.Moment) {
            return a.start(ZoneOffset.UTC).isAfter(b.start(ZoneOffset.UTC));
        }
        return false;
    }
}
