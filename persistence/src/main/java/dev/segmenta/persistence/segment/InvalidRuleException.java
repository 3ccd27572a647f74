package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.sql.UncompilableRuleException;
import dev.segmenta.persistence.view.RuleProblem;
import java.util.List;
import java.util.function.Supplier;

/** A rule that does not parse or does not check: every problem with its line and column. Answered with 400. */
public class InvalidRuleException extends RuntimeException {
    private final List<RuleProblem> problems;

    public InvalidRuleException(List<RuleProblem> problems) {
        super(problems.isEmpty() ? "invalid rule" : summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** Runs {@code work}, turning the compiler's refusal of a rule into this exception (a 400 with the reason). */
    public static <T> T whenUncompilable(Supplier<T> work) {
        try {
            return work.get();
        } catch (UncompilableRuleException e) {
            throw new InvalidRuleException(List.of(new RuleProblem(0, 0, "uncompilable", e.getMessage())));
        }
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    private static String summary(List<RuleProblem> problems) {
        RuleProblem first = problems.get(0);
        String where = first.line() > 0 ? " at " + first.line() + ":" + first.column() : "";
        return first.message() + where + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    }
}
