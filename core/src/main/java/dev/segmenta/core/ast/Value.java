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
    interface Visitor<R> {
        R text(Text value);

        R number(Number value);

        R bool(Bool value);

        R date(Date value);
    }

    <R> R accept(Visitor<R> visitor);

    record Text(String value) implements Value {
        @Override
        public <R> R accept(Value.Visitor<R> visitor) {
            return visitor.text(this);
        }

        public Text {
            requireNonNull(value, "value is null");
        }
    }

    /** Compared numerically: {@code 1.0} equals {@code 1} (the evaluator uses {@code compareTo}). */
    record Number(BigDecimal value) implements Value {
        @Override
        public <R> R accept(Value.Visitor<R> visitor) {
            return visitor.number(this);
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
        public <R> R accept(Value.Visitor<R> visitor) {
            return visitor.bool(this);
        }
    }

    /** A date or date-time literal; see {@link TimeLiteral} for what each means. */
    record Date(TimeLiteral value) implements Value {
        @Override
        public <R> R accept(Value.Visitor<R> visitor) {
            return visitor.date(this);
        }

        public Date {
            requireNonNull(value, "value is null");
        }
    }
}
