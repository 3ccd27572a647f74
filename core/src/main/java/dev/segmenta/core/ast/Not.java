package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/**
 * The rule does not hold. {@code not performed "x"}, {@code not in list "L"} and {@code not in segment "S"}
 * are this node around the positive rule.
 */
public record Not(Rule rule) implements Rule {
    public Not {
        requireNonNull(rule, "rule is null");
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitNot(this);
    }
}
