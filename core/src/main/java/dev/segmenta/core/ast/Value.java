package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;

/** A literal in a rule: {@code "CA"}, {@code 42}, {@code 2026-01-31}, {@code 2026-01-31T10:00Z}, {@code true}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Value.Text.class, name = "string"),
    @JsonSubTypes.Type(value = Value.Number.class, name = "number"),
    @JsonSubTypes.Type(value = Value.Bool.class, name = "boolean"),
    @JsonSubTypes.Type(value = Value.Date.class, name = "date"),
})
public sealed interface Value {

    /** One method per kind of literal: a new kind breaks the build at every consumer until it is handled. */
    interface Visitor<R> extends BiVisitor<R, Void> {
        R text(Text value);

        R number(Number value);

        R bool(Bool value);

        R date(Date value);

        @Override
        default R text(Text value, Void unused) {
            return text(value);
        }

        @Override
        default R number(Number value, Void unused) {
            return number(value);
        }

        @Override
        default R bool(Bool value, Void unused) {
            return bool(value);
        }

        @Override
        default R date(Date value, Void unused) {
            return date(value);
        }
    }

    /** A {@link Visitor} with an argument, for matchers that compare one literal with many values. */
    interface BiVisitor<R, A> {
        R text(Text value, A argument);

        R number(Number value, A argument);

        R bool(Bool value, A argument);

        R date(Date value, A argument);
    }

    <R, A> R accept(BiVisitor<R, A> visitor, A argument);

    default <R> R accept(Visitor<R> visitor) {
        return accept(visitor, null);
    }

    record Text(String value) implements Value {
        @Override
        public <R, A> R accept(Value.BiVisitor<R, A> visitor, A argument) {
            return visitor.text(this, argument);
        }

        public Text {
            requireNonNull(value, "value is null");
        }
    }

    /** Compared numerically: {@code 1.0} equals {@code 1} (the evaluator uses {@code compareTo}). */
    record Number(BigDecimal value) implements Value {
        @Override
        public <R, A> R accept(Value.BiVisitor<R, A> visitor, A argument) {
            return visitor.number(this, argument);
        }

        public Number {
            requireNonNull(value, "value is null");
            value = plainScale(value);
        }

        public static Number of(long value) {
            return new Number(BigDecimal.valueOf(value));
        }

        /**
         * {@code 1E+3} becomes {@code 1000}: the rule language has no exponents, so a negative scale could not be
         * written back as text and read again as the same value.
         */
        static BigDecimal plainScale(BigDecimal value) {
            return value.scale() < 0 ? value.setScale(0) : value;
        }
    }

    record Bool(boolean value) implements Value {
        @Override
        public <R, A> R accept(Value.BiVisitor<R, A> visitor, A argument) {
            return visitor.bool(this, argument);
        }
    }

    /** A date or date-time literal; see {@link TimeLiteral} for what each means. */
    record Date(TimeLiteral value) implements Value {
        @Override
        public <R, A> R accept(Value.BiVisitor<R, A> visitor, A argument) {
            return visitor.date(this, argument);
        }

        public Date {
            requireNonNull(value, "value is null");
        }
    }
}
