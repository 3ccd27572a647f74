package dev.segmenta.persistence.segment;

import dev.segmenta.core.check.Checker;
import dev.segmenta.core.check.Diagnostic;
import dev.segmenta.core.check.Linter;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.view.RuleProblem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a rule against the current schema and lints it, giving one list of problems: errors throw
 * {@link InvalidRuleException}, warnings (checker and linter, without the linter's duplicates of the checker's) come
 * back with the schema the rule checked against.
 */
@ApplicationScoped
public class RuleReview {
    private final SchemaLoader schemas;

    public RuleReview(SchemaLoader schemas) {
        this.schemas = schemas;
    }

    /** A definition that checked against the current schema, with its warnings. */
    public record Checked(Definition definition, Schema schema, List<RuleProblem> warnings) {}

    /** Checks {@code d} as the rule of segment {@code segmentName} (null: an unsaved rule), linted as of {@code now}. */
    public Checked check(Definition d, String segmentName, Instant now) {
        Schema schema = schemas.load();
        List<Diagnostic> diagnostics = segmentName == null
                ? new Checker(schema).check(d.rule(), d.positions())
                : new Checker(schema).checkSegment(segmentName, d.rule(), d.positions());
        List<RuleProblem> errors = new ArrayList<>();
        List<RuleProblem> warnings = new ArrayList<>();
        for (Diagnostic diagnostic : diagnostics) {
            (diagnostic.isError() ? errors : warnings).add(problem(diagnostic));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
        for (Diagnostic lint : new Linter(schema, now).lint(d.rule(), d.positions())) {
            // The checker already says "unknown event" where the linter would say "never seen".
            boolean duplicate = warnings.stream().anyMatch(w -> w.line() == lint.position().line()
                    && w.column() == lint.position().column() && w.code().equals("unknown-event"));
            if (!duplicate) {
                warnings.add(problem(lint));
            }
        }
        return new Checked(d, schema, warnings);
    }

    /** The preview's size warnings (empty, everyone) for a rule matching {@code count} of {@code total} users. */
    public static List<RuleProblem> sizeWarnings(long count, long total) {
        return Linter.lintSize(count, total).stream().map(RuleReview::problem).toList();
    }

    static RuleProblem problem(Diagnostic d) {
        return new RuleProblem(d.position().line(), d.position().column(), d.code(), d.message());
    }
}
