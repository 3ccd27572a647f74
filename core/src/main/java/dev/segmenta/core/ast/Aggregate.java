package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * {@code with sum(amount) >= 500}: over the numeric field of the matching events that have it. The sum of no
 * events is 0; avg, min and max of no events make the rule false.
 */
public record Aggregate(Function function, FieldPath field, CompareOp op, BigDecimal value) {
    public Aggregate {
        requireNonNull(function, "function is null");
        requireNonNull(field, "field is null");
        requireNonNull(op, "op is null");
        requireNonNull(value, "value is null");
        value = Value.Number.plainScale(value);
    }

    public enum Function {
        SUM, AVG, MIN, MAX;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
