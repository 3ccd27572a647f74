package dev.segmenta.core.eval;

import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Whether the values a field path reached satisfy a {@link FieldCondition}; the one definition of field
 * semantics, shared by the {@link Evaluator} and the {@link Explainer}.
 *
 * <p>A positive condition holds when <em>any</em> reached value satisfies it; array values count through
 * their elements. A value of the wrong type (a string under {@code >}, a number under {@code starts with})
 * simply does not satisfy it. The negative forms ({@code !=}, {@code not in}, {@code not contains},
 * {@code is not set}) are computed as the negation of the positive form, so they hold on missing fields.
 *
 * <p>Public so the columnar engine ({@code dev.segmenta.core.columnar}) decides each distinct value with this
 * same definition instead of a copy of it.
 */
public final class FieldMatcher {
    private final Instant now;
    private final ZoneId zone;

    public FieldMatcher(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    public boolean holds(FieldCondition condition, List<Object> values) {
        return condition.negativeForm() != positiveHolds(condition, values);
    }

    /** The positive form: {@code =} for {@code !=}, {@code in} for {@code not in}, and so on. */
    boolean positiveHolds(FieldCondition condition, List<Object> values) {
        if (condition instanceof FieldCondition.IsSet) {
            return values.stream().anyMatch(FieldMatcher::isSetValue);
        }
        if (condition instanceof FieldCondition.Contains c) {
            return contains(values, c.value());
        }
        if (condition instanceof FieldCondition.ContainsSet set) {
            // contains all [a, b] is contains a and contains b; each may be met by a different element.
            return set.quantifier() == FieldCondition.Quantifier.ALL
                    ? set.values().stream().allMatch(v -> contains(values, v))
                    : set.values().stream().anyMatch(v -> contains(values, v));
        }
        List<Object> scalars = FieldValues.scalars(values);
        if (condition instanceof FieldCondition.Compare c) {
            return scalars.stream().anyMatch(s -> compare(s, c.op(), c.value()));
        }
        if (condition instanceof FieldCondition.In in) {
            return scalars.stream().anyMatch(s -> in.values().stream().anyMatch(v -> equalsValue(s, v)));
        }
        if (condition instanceof FieldCondition.Between between) {
            return scalars.stream().anyMatch(s -> between(s, between.low(), between.high()));
        }
        if (condition instanceof FieldCondition.Affix affix) {
            String text = fold(affix.text());
            return scalars.stream().anyMatch(s -> s instanceof String str
                    && (affix.kind() == FieldCondition.AffixKind.STARTS_WITH
                            ? fold(str).startsWith(text)
                            : fold(str).endsWith(text)));
        }
        if (condition instanceof FieldCondition.IsBool bool) {
            return scalars.stream().anyMatch(s -> s instanceof Boolean b && b == bool.value());
        }
        if (condition instanceof DateCondition date) {
            TimeInterval interval = date.interval(now, zone);
            return scalars.stream().anyMatch(s -> Dates.of(s, zone).filter(interval::contains).isPresent());
        }
        if (condition instanceof dev.segmenta.core.ast.Anniversary anniversary) {
            return scalars.stream().anyMatch(s -> Dates.of(s, zone)
                    .filter(t -> anniversary.holds(java.time.LocalDate.ofInstant(t, zone), now, zone)).isPresent());
        }
        throw new IllegalArgumentException("unknown field condition: " + condition);
    }

    /** Present, not null, not {@code ""}, not {@code []}. Objects, even {@code {}}, are set. */
    static boolean isSetValue(Object value) {
        return value != null && !"".equals(value) && !(value instanceof List<?> list && list.isEmpty());
    }

    /** Substring on a text value; element equality on an array value. Other values contain nothing. */
    private boolean contains(List<Object> values, Value wanted) {
        for (Object value : values) {
            if (value instanceof String s) {
                if (wanted instanceof Value.Text t && fold(s).contains(fold(t.value()))) {
                    return true;
                }
            } else if (value instanceof List<?> list) {
                if (FieldValues.scalars(List.of(list)).stream().anyMatch(e -> equalsValue(e, wanted))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean compare(Object scalar, CompareOp op, Value value) {
        if (op == CompareOp.EQ || op == CompareOp.NE) {
            return equalsValue(scalar, value);
        }
        BigDecimal bound = ((Value.Number) value).value();
        return Numbers.of(scalar).filter(n -> op.holds(n.compareTo(bound))).isPresent();
    }

    /**
     * Equality of one scalar with a literal: text case-insensitively, numbers numerically, booleans exactly; a
     * date-only literal equals any time on that day in the project zone, a date-time literal the same instant.
     */
    boolean equalsValue(Object scalar, Value value) {
        if (value instanceof Value.Text t) {
            return scalar instanceof String s && fold(s).equals(fold(t.value()));
        }
        if (value instanceof Value.Number n) {
            return Numbers.of(scalar).filter(x -> x.compareTo(n.value()) == 0).isPresent();
        }
        if (value instanceof Value.Bool b) {
            return scalar instanceof Boolean x && x == b.value();
        }
        TimeLiteral literal = ((Value.Date) value).value();
        Optional<Instant> time = Dates.of(scalar, zone);
        if (literal instanceof TimeLiteral.Day day) {
            return time.filter(t -> new DateCondition.On(day).interval(now, zone).contains(t)).isPresent();
        }
        return time.filter(t -> t.equals(literal.start(zone))).isPresent();
    }

    /** Numbers inclusive at both ends; any other pair (text, mixed) matches nothing. Date ranges are DateConditions. */
    private boolean between(Object scalar, Value low, Value high) {
        if (low instanceof Value.Number lo && high instanceof Value.Number hi) {
            return Numbers.of(scalar)
                    .filter(n -> n.compareTo(lo.value()) >= 0 && n.compareTo(hi.value()) <= 0)
                    .isPresent();
        }
        return false;
    }

    static String fold(String text) {
        return TextFolding.fold(text);
    }
}
