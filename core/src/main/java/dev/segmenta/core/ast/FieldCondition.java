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
     * through {@link DateCondition#interval}.
     */
    interface Visitor<R> {
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
    }

    <R> R accept(Visitor<R> visitor);

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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.compare(this);
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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.between(this);
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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.in(this);
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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.contains(this);
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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.containsSet(this);
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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.affix(this);
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
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.isSet(this);
        }

        @Override
        public boolean negativeForm() {
            return negated;
        }
    }

    /** {@code is true} / {@code is false}. */
    record IsBool(boolean value) implements FieldCondition {
        @Override
        public <R> R accept(FieldCondition.Visitor<R> visitor) {
            return visitor.isBool(this);
        }
    }
}
