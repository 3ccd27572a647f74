package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What a {@link FieldRule} asks of a field's value. The negative forms ({@code !=}, {@code not in},
 * {@code not contains}, {@code is not set}) are kept as written so the text prints back unchanged, but they
 * mean exactly {@code not} of the positive form: they hold when the field is missing.
 */
// "type" like every other node: "op" would collide with Compare's own "op" component.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = FieldCondition.Compare.class, name = "compare"),
    @JsonSubTypes.Type(value = FieldCondition.Between.class, name = "between"),
    @JsonSubTypes.Type(value = FieldCondition.In.class, name = "in"),
    @JsonSubTypes.Type(value = FieldCondition.Contains.class, name = "contains"),
    @JsonSubTypes.Type(value = FieldCondition.ContainsSet.class, name = "containsSet"),
    @JsonSubTypes.Type(value = FieldCondition.Affix.class, name = "affix"),
    @JsonSubTypes.Type(value = FieldCondition.IsSet.class, name = "isSet"),
    @JsonSubTypes.Type(value = FieldCondition.IsBool.class, name = "isBool"),
    @JsonSubTypes.Type(value = DateCondition.Before.class, name = "before"),
    @JsonSubTypes.Type(value = DateCondition.After.class, name = "after"),
    @JsonSubTypes.Type(value = DateCondition.On.class, name = "on"),
    @JsonSubTypes.Type(value = DateCondition.Between.class, name = "dateBetween"),
    @JsonSubTypes.Type(value = DateCondition.WithinLast.class, name = "withinLast"),
    @JsonSubTypes.Type(value = DateCondition.MoreThanAgo.class, name = "moreThanAgo"),
    @JsonSubTypes.Type(value = DateCondition.WithinNext.class, name = "withinNext"),
    @JsonSubTypes.Type(value = Anniversary.class, name = "anniversary"),
})
public sealed interface FieldCondition permits FieldCondition.Compare, FieldCondition.Between, FieldCondition.In,
        FieldCondition.Contains, FieldCondition.ContainsSet, FieldCondition.Affix, FieldCondition.IsSet,
        FieldCondition.IsBool, DateCondition, Anniversary {

    /**
     * One method per kind of condition (Calcite's {@code RexVisitor}): a new kind breaks the build at every consumer
     * until it is handled. The seven date conditions come as one {@link DateCondition}, which every consumer reads
     * through {@link DateCondition#interval} or, where the written form matters, {@link DateCondition.Visitor}.
     */
    interface Visitor<R> extends BiVisitor<R, Void> {
        R compare(Compare condition);

        R between(Between condition);

        R in(In condition);

        R contains(Contains condition);

        R containsSet(ContainsSet condition);

        R affix(Affix condition);

        R isSet(IsSet condition);

        R isBool(IsBool condition);

        R date(DateCondition condition);

        R anniversary(Anniversary condition);

        @Override
        default R compare(Compare condition, Void unused) {
            return compare(condition);
        }

        @Override
        default R between(Between condition, Void unused) {
            return between(condition);
        }

        @Override
        default R in(In condition, Void unused) {
            return in(condition);
        }

        @Override
        default R contains(Contains condition, Void unused) {
            return contains(condition);
        }

        @Override
        default R containsSet(ContainsSet condition, Void unused) {
            return containsSet(condition);
        }

        @Override
        default R affix(Affix condition, Void unused) {
            return affix(condition);
        }

        @Override
        default R isSet(IsSet condition, Void unused) {
            return isSet(condition);
        }

        @Override
        default R isBool(IsBool condition, Void unused) {
            return isBool(condition);
        }

        @Override
        default R date(DateCondition condition, Void unused) {
            return date(condition);
        }

        @Override
        default R anniversary(Anniversary condition, Void unused) {
            return anniversary(condition);
        }
    }

    /**
     * A {@link Visitor} that takes an argument along (Calcite's {@code RexBiVisitor}): for matchers that ask the same
     * condition of many values, so that one visitor object serves every value and nothing is allocated per value.
     */
    interface BiVisitor<R, A> {
        R compare(Compare condition, A argument);

        R between(Between condition, A argument);

        R in(In condition, A argument);

        R contains(Contains condition, A argument);

        R containsSet(ContainsSet condition, A argument);

        R affix(Affix condition, A argument);

        R isSet(IsSet condition, A argument);

        R isBool(IsBool condition, A argument);

        R date(DateCondition condition, A argument);

        R anniversary(Anniversary condition, A argument);
    }

    /**
     * A {@link Visitor} that answers every kind alike except those it overrides. Only for questions about one or
     * two kinds where any other kind, including one added later, rightly gets the same answer (is this a date
     * condition?); a consumer that gives each kind its meaning implements {@link Visitor} itself, so that a new kind
     * cannot compile there unhandled.
     */
    abstract class DefaultVisitor<R> implements Visitor<R> {
        /** The answer for every kind not overridden. */
        protected abstract R otherwise(FieldCondition condition);

        @Override
        public R compare(Compare condition) {
            return otherwise(condition);
        }

        @Override
        public R between(Between condition) {
            return otherwise(condition);
        }

        @Override
        public R in(In condition) {
            return otherwise(condition);
        }

        @Override
        public R contains(Contains condition) {
            return otherwise(condition);
        }

        @Override
        public R containsSet(ContainsSet condition) {
            return otherwise(condition);
        }

        @Override
        public R affix(Affix condition) {
            return otherwise(condition);
        }

        @Override
        public R isSet(IsSet condition) {
            return otherwise(condition);
        }

        @Override
        public R isBool(IsBool condition) {
            return otherwise(condition);
        }

        @Override
        public R date(DateCondition condition) {
            return otherwise(condition);
        }

        @Override
        public R anniversary(Anniversary condition) {
            return otherwise(condition);
        }
    }

    <R, A> R accept(BiVisitor<R, A> visitor, A argument);

    default <R> R accept(Visitor<R> visitor) {
        return accept(visitor, null);
    }

    /**
     * Whether this is one of the written-negative forms ({@code !=}, {@code not in}, {@code not contains},
     * {@code is not set}), which mean {@code not} of their positive form and so hold when the field is missing.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    default boolean negativeForm() {
        return false;
    }

    /** {@code = "CA"}, {@code != 3}, {@code >= 18}. Ordering operators take numbers only. */
    record Compare(CompareOp op, Value value) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.compare(this, argument);
        }

        public Compare {
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
            if (op != CompareOp.EQ && op != CompareOp.NE && !(value instanceof Value.Number)) {
                throw new IllegalArgumentException("'" + op.symbol() + "' needs a number");
            }
        }

        @Override
        public boolean negativeForm() {
            return op == CompareOp.NE;
        }
    }

    /** {@code between 18 and 30}, inclusive at both ends. Date ranges are {@link DateCondition.Between}. */
    record Between(Value low, Value high) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.between(this, argument);
        }

        public Between {
            requireNonNull(low, "low is null");
            requireNonNull(high, "high is null");
            // Two dates are a date range; keeping one form for it makes text -> AST -> text the identity.
            if (low instanceof Value.Date && high instanceof Value.Date) {
                throw new IllegalArgumentException("a range of two dates is a DateCondition.Between");
            }
        }
    }

    /** {@code in ["pro", "team"]} or, when {@code negated}, {@code not in [...]}. */
    record In(boolean negated, List<Value> values) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.in(this, argument);
        }

        public In {
            values = List.copyOf(requireNonNull(values, "values is null"));
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'in' needs at least one value");
            }
        }

        @Override
        public boolean negativeForm() {
            return negated;
        }
    }

    /** {@code contains "x"}: substring on a text field, element equality on an array field. */
    record Contains(boolean negated, Value value) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.contains(this, argument);
        }

        public Contains {
            requireNonNull(value, "value is null");
        }

        @Override
        public boolean negativeForm() {
            return negated;
        }
    }

    /** {@code contains any [...]} / {@code contains all [...]}. */
    record ContainsSet(Quantifier quantifier, List<Value> values) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.containsSet(this, argument);
        }

        public ContainsSet {
            requireNonNull(quantifier, "quantifier is null");
            values = List.copyOf(requireNonNull(values, "values is null"));
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'contains " + quantifier.keyword() + "' needs at least one value");
            }
        }
    }

    enum Quantifier {
        ANY, ALL;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code starts with "x"} / {@code ends with "x"}, case-insensitive. */
    record Affix(AffixKind kind, String text) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.affix(this, argument);
        }

        public Affix {
            requireNonNull(kind, "kind is null");
            requireNonNull(text, "text is null");
        }
    }

    enum AffixKind {
        STARTS_WITH, ENDS_WITH
    }

    /** {@code is set} (present, not null, not "", not []) or, when {@code negated}, {@code is not set}. */
    record IsSet(boolean negated) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.isSet(this, argument);
        }

        @Override
        public boolean negativeForm() {
            return negated;
        }
    }

    /** {@code is true} / {@code is false}. */
    record IsBool(boolean value) implements FieldCondition {
        @Override
        public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
            return visitor.isBool(this, argument);
        }
    }
}
