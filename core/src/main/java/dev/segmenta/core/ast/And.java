package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * All of the rules hold. Has at least two children; the parser never flattens across parentheses, so
 * {@code a and (b and c)} is {@code And[a, And[b, c]]} and prints back the same way.
 */
public record And(List<Rule> rules) implements Rule {
    public And {
        rules = List.copyOf(requireNonNull(rules, "rules is null"));
        if (rules.size() < 2) {
            throw new IllegalArgumentException("an 'and' group needs at least two rules, got " + rules.size());
        }
    }

    /** A group of the given rules, or the single rule itself when there is only one. */
    public static Rule of(List<Rule> rules) {
        return rules.size() == 1 ? rules.get(0) : new And(rules);
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitAnd(this);
    }
}
