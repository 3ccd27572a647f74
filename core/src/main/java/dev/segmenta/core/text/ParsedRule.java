package dev.segmenta.core.text;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Rule;

/** A rule read from text, with where each of its nodes starts (for checker and linter messages). */
public record ParsedRule(Rule rule, SourceMap sourceMap) {
    public ParsedRule {
        requireNonNull(rule, "rule is null");
        requireNonNull(sourceMap, "sourceMap is null");
    }
}
