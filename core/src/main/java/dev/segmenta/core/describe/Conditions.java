package dev.segmenta.core.describe;

import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
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
        if (c instanceof DateCondition && rule.field().isSystemField()) {
            if (field.equals("signupDate")) {
                return (no ? "did not sign up " : "signed up ") + date((DateCondition) c);
            }
            if (field.equals("profileUpdatedAt")) {
                return (no ? "did not update their profile " : "updated their profile ") + date((DateCondition) c);
            }
        }
        if (c instanceof FieldCondition.IsSet) {
            return (no ? "have no value for " : "have a value for ") + field;
        }
        if (c instanceof dev.segmenta.core.ast.Anniversary a) {
            String what = field.equals("signupDate") && rule.field().isSystemField() ? "sign-up" : field;
            return (no ? "do not have their " : "have their ") + what + " anniversary " + anniversary(a);
        }
        return (no ? "do not have " : "have ") + field + " " + predicate(c);
    }

    /** A condition of {@code where}, on the event's data fields: "with item equal to "jacket"". */
    static String eventField(FieldRule rule) {
        FieldCondition c = rule.condition();
        boolean no = c.negativeForm();
        String field = rule.field().dotted();
        if (c instanceof FieldCondition.IsSet) {
            return (no ? "without a value for " : "with a value for ") + field;
        }
        return (no ? "without " : "with ") + field + " " + predicate(c);
    }

    /** The positive form of the condition after the field's name: "equal to "CA"", "in the last 30 days". */
    private static String predicate(FieldCondition c) {
        if (c instanceof FieldCondition.Compare) {
            FieldCondition.Compare compare = (FieldCondition.Compare) c;
            return comparison(compare.op()) + " " + value(compare.value());
        } else if (c instanceof FieldCondition.Between) {
            FieldCondition.Between between = (FieldCondition.Between) c;
            return "between " + value(between.low()) + " and " + value(between.high());
        } else if (c instanceof FieldCondition.In) {
            return "equal to " + Phrase.join(values(((FieldCondition.In) c).values()), "or");
        } else if (c instanceof FieldCondition.Contains) {
            return "containing " + value(((FieldCondition.Contains) c).value());
        } else if (c instanceof FieldCondition.ContainsSet) {
            FieldCondition.ContainsSet set = (FieldCondition.ContainsSet) c;
            List<String> values = values(set.values());
            if (set.quantifier() == FieldCondition.Quantifier.ANY) {
                return "containing " + Phrase.join(values, "or");
            }
            String all = values.size() == 1 ? "" : values.size() == 2 ? "both " : "all of ";
            return "containing " + all + Phrase.join(values, "and");
        } else if (c instanceof FieldCondition.Affix) {
            FieldCondition.Affix affix = (FieldCondition.Affix) c;
            String verb = affix.kind() == FieldCondition.AffixKind.STARTS_WITH ? "starting with " : "ending with ";
            return verb + quoted(affix.text());
        } else if (c instanceof FieldCondition.IsBool) {
            return "equal to " + ((FieldCondition.IsBool) c).value();
        } else if (c instanceof DateCondition) {
            return date((DateCondition) c);
        } else if (c instanceof dev.segmenta.core.ast.Anniversary a) {
            return "with its anniversary " + anniversary(a);
        }
        // IsSet is phrased by the callers; the sealed hierarchy has no other kinds.
        throw new IllegalArgumentException("no predicate for " + c);
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
        if (c instanceof DateCondition.WithinLast) {
            return "in the last " + spanAfterThe(((DateCondition.WithinLast) c).span());
        } else if (c instanceof DateCondition.WithinNext) {
            return "in the next " + spanAfterThe(((DateCondition.WithinNext) c).span());
        } else if (c instanceof DateCondition.MoreThanAgo) {
            return "more than " + span(((DateCondition.MoreThanAgo) c).span()) + " ago";
        } else if (c instanceof DateCondition.Before) {
            return "before " + time(((DateCondition.Before) c).time());
        } else if (c instanceof DateCondition.After) {
            return "after " + time(((DateCondition.After) c).time());
        } else if (c instanceof DateCondition.On) {
            return "on " + time(((DateCondition.On) c).day());
        }
        DateCondition.Between between = (DateCondition.Between) c;
        return "between " + time(between.from()) + " and " + time(between.to());
    }

    /** "today", "in the next 7 days". */
    static String anniversary(dev.segmenta.core.ast.Anniversary a) {
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
        if (time instanceof TimeLiteral.Day) {
            return ((TimeLiteral.Day) time).date().toString();
        }
        return ((TimeLiteral.Moment) time).dateTime().toString();
    }

    private static List<String> values(List<Value> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(value(v)));
        return out;
    }

    private static String value(Value value) {
        if (value instanceof Value.Text) {
            return quoted(((Value.Text) value).value());
        } else if (value instanceof Value.Number) {
            return ((Value.Number) value).value().toPlainString();
        } else if (value instanceof Value.Bool) {
            return Boolean.toString(((Value.Bool) value).value());
        }
        return time(((Value.Date) value).value());
    }

    private static String quoted(String text) {
        return RulePrinter.quote(text);
    }
}
