package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/** {@code in list "Beta testers"}: static-list membership. */
public record ListRule(String listName) implements Rule {
    public ListRule {
        requireNonNull(listName, "listName is null");
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitList(this);
    }
}
