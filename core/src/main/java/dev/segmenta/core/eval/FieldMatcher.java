package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.ast.Value;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

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
 *
 * <p>The matcher is itself the visitor over conditions and literals, with the values passed along: the evaluator
 * makes one matcher per evaluation, and asking a condition of a value then allocates no visitor.
 */
public final class FieldMatcher
        implements FieldCondition.BiVisitor<Boolean, List<Object>>, Value.BiVisitor<Boolean, Object> {
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
        return condition.accept(this, values);
    }

    @Override
    public Boolean isSet(FieldCondition.IsSet condition, List<Object> values) {
        return values.stream().anyMatch(FieldMatcher::isSetValue);
    }

    @Override
    public Boolean contains(FieldCondition.Contains c, List<Object> values) {
        return containsValue(values, c.value());
    }

    @Override
    public Boolean containsSet(FieldCondition.ContainsSet set, List<Object> values) {
        // contains all [a, b] is contains a and contains b; each may be met by a different element.
        return set.quantifier() == FieldCondition.Quantifier.ALL
                ? set.values().stream().allMatch(v -> containsValue(values, v))
                : set.values().stream().anyMatch(v -> containsValue(values, v));
    }

    @Override
    public Boolean compare(FieldCondition.Compare c, List<Object> values) {
        return FieldValues.scalars(values).stream().anyMatch(s -> compareScalar(s, c.op(), c.value()));
    }

    @Override
    public Boolean in(FieldCondition.In in, List<Object> values) {
        return FieldValues.scalars(values).stream()
                .anyMatch(s -> in.values().stream().anyMatch(v -> equalsValue(s, v)));
    }

    @Override
    public Boolean between(FieldCondition.Between between, List<Object> values) {
        return FieldValues.scalars(values).stream()
                .anyMatch(s -> inRange(s, between.low(), between.high()));
    }

    @Override
    public Boolean affix(FieldCondition.Affix affix, List<Object> values) {
        String text = fold(affix.text());
        return FieldValues.scalars(values).stream().anyMatch(s -> s instanceof String str
                && (affix.kind() == FieldCondition.AffixKind.STARTS_WITH
                        ? fold(str).startsWith(text)
                        : fold(str).endsWith(text)));
    }

    @Override
    public Boolean isBool(FieldCondition.IsBool bool, List<Object> values) {
        return FieldValues.scalars(values).stream().anyMatch(s -> s instanceof Boolean b && b == bool.value());
    }

    @Override
    public Boolean date(DateCondition date, List<Object> values) {
        TimeInterval interval = date.interval(now, zone);
        return FieldValues.scalars(values).stream()
                .anyMatch(s -> Dates.of(s, zone).filter(interval::contains).isPresent());
    }

    @Override
    public Boolean anniversary(Anniversary anniversary, List<Object> values) {
        return FieldValues.scalars(values).stream().anyMatch(s -> Dates.of(s, zone)
                .filter(t -> anniversary.holds(LocalDate.ofInstant(t, zone), now, zone)).isPresent());
    }

    /** Present, not null, not {@code ""}, not {@code []}. Objects, even {@code {}}, are set. */
    static boolean isSetValue(Object value) {
        return value != null && !"".equals(value) && !(value instanceof List<?> list && list.isEmpty());
    }

    /** Substring on a text value; element equality on an array value. Other values contain nothing. */
    private boolean containsValue(List<Object> values, Value wanted) {
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

    private boolean compareScalar(Object scalar, CompareOp op, Value value) {
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
        return value.accept(this, scalar);
    }

    @Override
    public Boolean text(Value.Text t, Object scalar) {
        return scalar instanceof String s && fold(s).equals(fold(t.value()));
    }

    @Override
    public Boolean number(Value.Number n, Object scalar) {
        return Numbers.of(scalar).filter(x -> x.compareTo(n.value()) == 0).isPresent();
    }

    @Override
    public Boolean bool(Value.Bool b, Object scalar) {
        return scalar instanceof Boolean x && x == b.value();
    }

    @Override
    public Boolean date(Value.Date d, Object scalar) {
        return Dates.of(scalar, zone).filter(t -> d.value().names(t, zone)).isPresent();
    }

    /** Numbers inclusive at both ends; any other pair (text, mixed) matches nothing. Date ranges are DateConditions. */
    private boolean inRange(Object scalar, Value low, Value high) {
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
