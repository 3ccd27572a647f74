package dev.segmenta.core.check;

import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;

/** The rule-language keywords of a field condition's operator, for messages: {@code 'not in'}, {@code 'before'}. */
final class Operators {
    private Operators() {}

    static String name(FieldCondition c) {
        if (c instanceof FieldCondition.Compare) {
            return ((FieldCondition.Compare) c).op().symbol();
        } else if (c instanceof FieldCondition.Between || c instanceof DateCondition.Between) {
            return "between";
        } else if (c instanceof FieldCondition.In) {
            return ((FieldCondition.In) c).negated() ? "not in" : "in";
        } else if (c instanceof FieldCondition.Contains) {
            return ((FieldCondition.Contains) c).negated() ? "not contains" : "contains";
        } else if (c instanceof FieldCondition.ContainsSet) {
            return "contains " + ((FieldCondition.ContainsSet) c).quantifier().keyword();
        } else if (c instanceof FieldCondition.Affix) {
            return ((FieldCondition.Affix) c).kind() == FieldCondition.AffixKind.STARTS_WITH
                    ? "starts with" : "ends with";
        } else if (c instanceof FieldCondition.IsSet) {
            return ((FieldCondition.IsSet) c).negated() ? "is not set" : "is set";
        } else if (c instanceof FieldCondition.IsBool) {
            return ((FieldCondition.IsBool) c).value() ? "is true" : "is false";
        } else if (c instanceof DateCondition.Before) {
            return "before";
        } else if (c instanceof DateCondition.After) {
            return "after";
        } else if (c instanceof DateCondition.On) {
            return "on";
        } else if (c instanceof DateCondition.WithinLast) {
            return "within last";
        } else if (c instanceof DateCondition.MoreThanAgo) {
            return "more than … ago";
        } else if (c instanceof DateCondition.WithinNext) {
            return "within next";
        } else if (c instanceof dev.segmenta.core.ast.Anniversary) {
            return "anniversary";
        }
        throw new IllegalArgumentException("unknown field condition: " + c);
    }
}
