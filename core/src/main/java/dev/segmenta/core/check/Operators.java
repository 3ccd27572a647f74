package dev.segmenta.core.check;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;

/** The rule-language keywords of a field condition's operator, for messages: {@code 'not in'}, {@code 'before'}. */
final class Operators {
    private Operators() {}

    static String name(FieldCondition c) {
        return c.accept(NAMES);
    }

    private static final FieldCondition.Visitor<String> NAMES = new FieldCondition.Visitor<>() {
        @Override
        public String compare(FieldCondition.Compare c) {
            return c.op().symbol();
        }

        @Override
        public String between(FieldCondition.Between c) {
            return "between";
        }

        @Override
        public String in(FieldCondition.In c) {
            return c.negated() ? "not in" : "in";
        }

        @Override
        public String contains(FieldCondition.Contains c) {
            return c.negated() ? "not contains" : "contains";
        }

        @Override
        public String containsSet(FieldCondition.ContainsSet c) {
            return "contains " + c.quantifier().keyword();
        }

        @Override
        public String affix(FieldCondition.Affix c) {
            return c.kind() == FieldCondition.AffixKind.STARTS_WITH ? "starts with" : "ends with";
        }

        @Override
        public String isSet(FieldCondition.IsSet c) {
            return c.negated() ? "is not set" : "is set";
        }

        @Override
        public String isBool(FieldCondition.IsBool c) {
            return c.value() ? "is true" : "is false";
        }

        @Override
        public String date(DateCondition c) {
            return c.accept(DATE_NAMES);
        }

        @Override
        public String anniversary(Anniversary c) {
            return "anniversary";
        }
    };

    private static final DateCondition.Visitor<String> DATE_NAMES = new DateCondition.Visitor<>() {
        @Override
        public String before(DateCondition.Before c) {
            return "before";
        }

        @Override
        public String after(DateCondition.After c) {
            return "after";
        }

        @Override
        public String on(DateCondition.On c) {
            return "on";
        }

        @Override
        public String between(DateCondition.Between c) {
            return "between";
        }

        @Override
        public String withinLast(DateCondition.WithinLast c) {
            return "within last";
        }

        @Override
        public String moreThanAgo(DateCondition.MoreThanAgo c) {
            return "more than … ago";
        }

        @Override
        public String withinNext(DateCondition.WithinNext c) {
            return "within next";
        }
    };
}
