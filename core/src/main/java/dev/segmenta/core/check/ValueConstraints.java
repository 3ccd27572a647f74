package dev.segmenta.core.check;

import dev.segmenta.core.ast.Anniversary;
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
        if (!c.negativeForm()) {
            // Every positive condition is false on a missing field.
            mustBePresent = true;
        }
        c.accept(adder);
        return satisfiable();
    }

    /** What each kind of condition says about the value; the kinds it cannot use add nothing. */
    private final FieldCondition.Visitor<Void> adder = new FieldCondition.Visitor<>() {
        @Override
        public Void compare(FieldCondition.Compare compare) {
            if (compare.op() == CompareOp.EQ) {
                restrict(List.of(compare.value()));
            } else if (compare.op() != CompareOp.NE) {
                bound(compare.op(), ((Value.Number) compare.value()).value());
            }
            return null;
        }

        @Override
        public Void between(FieldCondition.Between between) {
            if (between.low() instanceof Value.Number low && between.high() instanceof Value.Number high) {
                bound(CompareOp.GE, low.value());
                bound(CompareOp.LE, high.value());
            }
            return null;
        }

        @Override
        public Void in(FieldCondition.In in) {
            if (!in.negated()) {
                restrict(in.values());
            }
            return null;
        }

        @Override
        public Void contains(FieldCondition.Contains contains) {
            return null;
        }

        @Override
        public Void containsSet(FieldCondition.ContainsSet set) {
            return null;
        }

        @Override
        public Void affix(FieldCondition.Affix affix) {
            return null;
        }

        @Override
        public Void isSet(FieldCondition.IsSet isSet) {
            if (isSet.negated()) {
                mustBeMissing = true;
            }
            return null;
        }

        @Override
        public Void isBool(FieldCondition.IsBool isBool) {
            restrict(List.of(new Value.Bool(isBool.value())));
            return null;
        }

        @Override
        public Void date(DateCondition date) {
            if (now != null) {
                within(date);
            }
            return null;
        }

        @Override
        public Void anniversary(Anniversary anniversary) {
            return null;
        }
    };

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
        return c.accept(RELATIVE);
    }

    private static final DateCondition.Visitor<Boolean> RELATIVE = new DateCondition.Visitor<>() {
        @Override
        public Boolean before(DateCondition.Before c) {
            return false;
        }

        @Override
        public Boolean after(DateCondition.After c) {
            return false;
        }

        @Override
        public Boolean on(DateCondition.On c) {
            return false;
        }

        @Override
        public Boolean between(DateCondition.Between c) {
            return false;
        }

        @Override
        public Boolean withinLast(DateCondition.WithinLast c) {
            return true;
        }

        @Override
        public Boolean moreThanAgo(DateCondition.MoreThanAgo c) {
            return true;
        }

        @Override
        public Boolean withinNext(DateCondition.WithinNext c) {
            return true;
        }
    };

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
        return value.accept(NORMALISED);
    }

    private static final Value.Visitor<Object> NORMALISED = new Value.Visitor<>() {
        @Override
        public Object text(Value.Text value) {
            return value.value().toLowerCase(Locale.ROOT);
        }

        @Override
        public Object number(Value.Number value) {
            return value.value().stripTrailingZeros();
        }

        @Override
        public Object bool(Value.Bool value) {
            return value.value();
        }

        @Override
        public Object date(Value.Date value) {
            return value.value();
        }
    };

    /** Whether a range written on its own can never hold: {@code between 30 and 18}. */
    static boolean emptyRange(FieldCondition c) {
        return c.accept(EMPTY_RANGE);
    }

    /** Only the two kinds of range can be empty on their own; every other condition is said not to be. */
    private static final FieldCondition.Visitor<Boolean> EMPTY_RANGE = new FieldCondition.Visitor<>() {
        @Override
        public Boolean between(FieldCondition.Between between) {
            if (between.low() instanceof Value.Number low && between.high() instanceof Value.Number high) {
                return low.value().compareTo(high.value()) > 0;
            }
            if (between.low() instanceof Value.Date low && between.high() instanceof Value.Date high) {
                return after(low.value(), high.value());
            }
            return false;
        }

        @Override
        public Boolean date(DateCondition date) {
            return date.accept(new DateCondition.Visitor<Boolean>() {
                @Override
                public Boolean between(DateCondition.Between between) {
                    return ValueConstraints.after(between.from(), between.to());
                }

                @Override
                public Boolean before(DateCondition.Before c) {
                    return false;
                }

                @Override
                public Boolean after(DateCondition.After c) {
                    return false;
                }

                @Override
                public Boolean on(DateCondition.On c) {
                    return false;
                }

                @Override
                public Boolean withinLast(DateCondition.WithinLast c) {
                    return false;
                }

                @Override
                public Boolean moreThanAgo(DateCondition.MoreThanAgo c) {
                    return false;
                }

                @Override
                public Boolean withinNext(DateCondition.WithinNext c) {
                    return false;
                }
            });
        }

        @Override
        public Boolean compare(FieldCondition.Compare c) {
            return false;
        }

        @Override
        public Boolean in(FieldCondition.In c) {
            return false;
        }

        @Override
        public Boolean contains(FieldCondition.Contains c) {
            return false;
        }

        @Override
        public Boolean containsSet(FieldCondition.ContainsSet c) {
            return false;
        }

        @Override
        public Boolean affix(FieldCondition.Affix c) {
            return false;
        }

        @Override
        public Boolean isSet(FieldCondition.IsSet c) {
            return false;
        }

        @Override
        public Boolean isBool(FieldCondition.IsBool c) {
            return false;
        }

        @Override
        public Boolean anniversary(Anniversary c) {
            return false;
        }
    };

    /**
     * Only compares literals of the same kind, which need no time zone to order: two days by their starts in one
     * zone, two date-times by their instants.
     */
    private static boolean after(TimeLiteral a, TimeLiteral b) {
        return a.getClass() == b.getClass() && a.start(ZoneOffset.UTC).isAfter(b.start(ZoneOffset.UTC));
    }
}
