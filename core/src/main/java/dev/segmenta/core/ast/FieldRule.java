package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/** A condition on a user's field ({@code state = "CA"}) or, inside {@code where}, on an event's data field. */
public record FieldRule(FieldPath field, FieldCondition condition) implements Rule {
    public FieldRule {
        requireNonNull(field, "field is null");
        requireNonNull(condition, "condition is null");
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitField(this);
    }
}
