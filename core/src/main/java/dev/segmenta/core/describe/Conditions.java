package dev.segmenta.core.describe;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.check.Literals;
import dev.segmenta.core.text.RulePrinter;
import java.util.ArrayList;
import java.util.List;

/** The English of field conditions, on a user ("have state equal to "CA"") or on an event ("with item …"). */
final class Conditions {
    private Conditions() {}

    /** A condition on a user's field as a clause after "people who"; {@code negated} under an odd {@code not}. */
    static String userField(FieldRule rule, boolean negated) {
        FieldCondition c = rule.condition();
        boolean no = negated != c.negativeForm();
        String field = rule.field().dotted();
        boolean system = rule.field().isSystemField();
        // Is set, dates of the two system fields and anniversaries read as their own verbs; the rest as "have".
        return c.accept(new Predicate() {
            @Override
            public String isSet(FieldCondition.IsSet isSet) {
                return (no ? "have no value for " : "have a value for ") + field;
            }

            @Override
            public String date(DateCondition date) {
                if (system && field.equals("signupDate")) {
                    return (no ? "did not sign up " : "signed up ") + Conditions.date(date);
                }
                if (system && field.equals("profileUpdatedAt")) {
                    return (no ? "did not update their profile " : "updated their profile ") + Conditions.date(date);
                }
                return super.date(date);
            }

            @Override
            public String anniversary(Anniversary a) {
                String what = field.equals("signupDate") && system ? "sign-up" : field;
                return (no ? "do not have their " : "have their ") + what + " anniversary " + Conditions.anniversary(a);
            }

            @Override
            String phrase(String predicate) {
                return have(predicate);
            }

            private String have(String predicate) {
                return (no ? "do not have " : "have ") + field + " " + predicate;
            }
        });
    }

    /** A condition of {@code where}, on the event's data fields: "with item equal to "jacket"". */
    static String eventField(FieldRule rule) {
        FieldCondition c = rule.condition();
        boolean no = c.negativeForm();
        String field = rule.field().dotted();
        return c.accept(new Predicate() {
            @Override
            public String isSet(FieldCondition.IsSet isSet) {
                return (no ? "without a value for " : "with a value for ") + field;
            }

            @Override
            String phrase(String predicate) {
                return (no ? "without " : "with ") + field + " " + predicate;
            }
        });
    }

    /**
     * The positive form of the condition after the field's name ("equal to "CA"", "in the last 30 days"), handed to
     * {@link #phrase}, which puts the field and the verb around it. Is set has no such form: each caller words it.
     * Made per described rule, which is not a hot path.
     */
    private abstract static class Predicate implements FieldCondition.Visitor<String> {
        abstract String phrase(String predicate);

        @Override
        public String compare(FieldCondition.Compare compare) {
            return phrase(comparison(compare.op()) + " " + value(compare.value()));
        }

        @Override
        public String between(FieldCondition.Between between) {
            return phrase("between " + value(between.low()) + " and " + value(between.high()));
        }

        @Override
        public String in(FieldCondition.In in) {
            return phrase("equal to " + Phrase.join(values(in.values()), "or"));
        }

        @Override
        public String contains(FieldCondition.Contains contains) {
            return phrase("containing " + value(contains.value()));
        }

        @Override
        public String containsSet(FieldCondition.ContainsSet set) {
            List<String> values = values(set.values());
            if (set.quantifier() == FieldCondition.Quantifier.ANY) {
                return phrase("containing " + Phrase.join(values, "or"));
            }
            String all = values.size() == 1 ? "" : values.size() == 2 ? "both " : "all of ";
            return phrase("containing " + all + Phrase.join(values, "and"));
        }

        @Override
        public String affix(FieldCondition.Affix affix) {
            String verb = affix.kind() == FieldCondition.AffixKind.STARTS_WITH ? "starting with " : "ending with ";
            return phrase(verb + quoted(affix.text()));
        }

        @Override
        public String isBool(FieldCondition.IsBool isBool) {
            return phrase("equal to " + isBool.value());
        }

        @Override
        public String date(DateCondition date) {
            return phrase(Conditions.date(date));
        }

        @Override
        public String anniversary(Anniversary a) {
            return phrase("with its anniversary " + Conditions.anniversary(a));
        }
    }

    private static String comparison(CompareOp op) {
        switch (op) {
            case LT:
                return "less than";
            case LE:
                return "at most";
            case GT:
                return "greater than";
            case GE:
                return "at least";
            default:
                return "equal to";
        }
    }

    /** "in the last 30 days", "more than 2 weeks ago", "before 2026-01-31". */
    static String date(DateCondition c) {
        return c.accept(DATES);
    }

    private static final DateCondition.Visitor<String> DATES = new DateCondition.Visitor<>() {
        @Override
        public String before(DateCondition.Before c) {
            return "before " + time(c.time());
        }

        @Override
        public String after(DateCondition.After c) {
            return "after " + time(c.time());
        }

        @Override
        public String on(DateCondition.On c) {
            return "on " + time(c.day());
        }

        @Override
        public String between(DateCondition.Between between) {
            return "between " + time(between.from()) + " and " + time(between.to());
        }

        @Override
        public String withinLast(DateCondition.WithinLast c) {
            return "in the last " + spanAfterThe(c.span());
        }

        @Override
        public String moreThanAgo(DateCondition.MoreThanAgo c) {
            return "more than " + span(c.span()) + " ago";
        }

        @Override
        public String withinNext(DateCondition.WithinNext c) {
            return "in the next " + spanAfterThe(c.span());
        }
    };

    /** "today", "in the next 7 days". */
    static String anniversary(Anniversary a) {
        return a.within() == null ? "today" : "in the next " + spanAfterThe(a.within());
    }

    static String span(Span span) {
        return span.amount() + " " + span.unit().keyword() + (span.amount() == 1 ? "" : "s");
    }

    /** "day" rather than "1 day" after "the last"/"the next". */
    private static String spanAfterThe(Span span) {
        return span.amount() == 1 ? span.unit().keyword() : span(span);
    }

    private static String time(TimeLiteral time) {
        return Literals.date(time);
    }

    private static List<String> values(List<Value> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(value(v)));
        return out;
    }

    private static String value(Value value) {
        return Literals.text(value);
    }

    private static String quoted(String text) {
        return RulePrinter.quote(text);
    }
}
