package dev.segmenta.core.eval;

import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Window;
import dev.segmenta.core.text.RulePrinter;

/**
 * Rule-language text for explanation labels and miss sentences, e.g.
 * {@code performed "purchase" at least 3 times within last 90 days}: the canonical printer's text, plus the
 * fragments of an event rule (window, aggregate) that the printer does not expose on its own.
 */
final class RuleLabel {
    private RuleLabel() {}

    static String of(Rule rule) {
        return RulePrinter.print(rule);
    }

    static String path(FieldPath path) {
        return RulePrinter.print(path);
    }

    static String condition(FieldCondition condition) {
        return RulePrinter.print(condition);
    }

    static String date(DateCondition condition) {
        return RulePrinter.print(condition);
    }

    static String window(Window window) {
        return window == null ? "ever" : RulePrinter.print(window);
    }

    static String text(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
