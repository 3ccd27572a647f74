package dev.segmenta.core.text;

import dev.segmenta.core.ast.Span;
import java.time.Duration;

/**
 * How large a rule may be. Every rule, written as text or given as AST JSON (which is printed and parsed again),
 * passes through {@link RuleParser}, which enforces these and names the limit it hit with a position, e.g.
 * {@code rule has more than 200 conditions (limit) at 3:14}. Below them the cost of checking, compiling and
 * previewing a rule grows linearly with its size; the SQL of a preview stays well under PostgreSQL's 65,535 bind
 * parameters. docs/operations.md lists them ("Limits").
 */
public final class RuleLimits {
    /** Characters of rule-language text (canonical text for AST JSON). */
    public static final int MAX_TEXT_CHARS = 100_000;

    /** Conditions in one rule: every field, event, recency, list, subscription and segment rule, and each {@code where} condition. */
    public static final int MAX_CONDITIONS = 200;

    /** Values in one list: {@code in [...]}, {@code not in [...]}, {@code contains any|all [...]}. */
    public static final int MAX_LIST_VALUES = 1_000;

    /** Values in all the lists of one rule together. */
    public static final int MAX_TOTAL_LIST_VALUES = 5_000;

    /** Levels of {@code not} and parentheses. */
    public static final int MAX_NESTING = 100;

    /** The longest duration a rule may name: 100 years of 365 days ({@code within last 36500 days}, {@code 1216 months}). */
    public static final Duration MAX_SPAN = Span.MAX;

    private RuleLimits() {}
}
