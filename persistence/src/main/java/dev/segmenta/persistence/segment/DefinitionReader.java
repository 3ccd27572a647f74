package dev.segmenta.persistence.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.ParsedRule;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.core.text.RulePrinter;
import dev.segmenta.core.text.RuleSyntaxException;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.view.RuleProblem;
import java.util.List;

/**
 * Reads a segment definition given as rule-language text ({@code dsl}) or AST JSON ({@code rule}). Either way the
 * result carries canonical text, and positions from parsing that text, so every later message can point at a
 * line and column.
 */
public final class DefinitionReader {
    private DefinitionReader() {}

    public static Definition read(String dsl, JsonNode rule) {
        if (dsl != null && !dsl.isBlank()) {
            if (rule != null && !rule.isNull()) {
                throw SegmentaException.badParams("rule", "give either 'dsl' or 'rule', not both");
            }
            return fromText(dsl);
        }
        if (rule != null && !rule.isNull()) {
            try {
                return fromRule(RuleJson.fromTree(rule));
            } catch (IllegalArgumentException e) {
                throw new InvalidRuleException(List.of(new RuleProblem(0, 0, "bad-rule-json", "rule: " + e.getMessage())));
            }
        }
        throw SegmentaException.badParams("dsl", "a definition is required: 'dsl' (rule-language text) or 'rule' (AST JSON)");
    }

    public static Definition fromText(String dsl) {
        try {
            // Positions stay those of the text the user wrote: that is the text their editor shows.
            ParsedRule parsed = RuleParser.parse(dsl);
            return new Definition(parsed.rule(), RulePrinter.print(parsed.rule()), parsed.sourceMap());
        } catch (RuleSyntaxException e) {
            throw new InvalidRuleException(List.of(new RuleProblem(e.position().line(), e.position().column(), "syntax", e.reason())));
        }
    }

    public static Definition fromRule(Rule rule) {
        String canonical = RulePrinter.print(rule);
        ParsedRule parsed = RuleParser.parse(canonical);
        return new Definition(parsed.rule(), canonical, parsed.sourceMap());
    }
}
