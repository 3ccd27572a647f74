package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Any of the rules holds. Has at least two children (see {@link And} for the nesting rule). */
public record Or(List<Rule> rules) implements Rule {
    public Or {
        rules = List.copyOf(requireNonNull(rules, "rules is null"));
        if (rules.size() < 2) {
            throw new IllegalArgumentException("an 'or' group needs at least two rules, got " + rules.size());
        }
    }

    /** A group of the given rules, or the single rule itself when there is only one. */
    public static Rule of(List<Rule> rules) {
        return rules.size() == 1 ? rules.get(0) : new Or(rules);
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitOr(this);
    }
}
