package dev.segmenta.core.check;

import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.text.RulePrinter;
import java.math.BigDecimal;

/** How literals read in messages, and how to fix one of the wrong type. */
final class Literals {
    private Literals() {}

    /** The literal as it is written in the rule language: {@code "CA"}, {@code 42}, {@code 2026-01-31}. */
    static String text(Value value) {
        if (value instanceof Value.Text) {
            return quoted(((Value.Text) value).value());
        } else if (value instanceof Value.Number) {
            return ((Value.Number) value).value().toPlainString();
        } else if (value instanceof Value.Bool) {
            return Boolean.toString(((Value.Bool) value).value());
        }
        return date(((Value.Date) value).value());
    }

    static String date(TimeLiteral time) {
        if (time instanceof TimeLiteral.Day) {
            return ((TimeLiteral.Day) time).date().toString();
        }
        return ((TimeLiteral.Moment) time).dateTime().toString();
    }

    static String quoted(String s) {
        return RulePrinter.quote(s);
    }

    static String kind(Value value) {
        if (value instanceof Value.Text) {
            return "text";
        } else if (value instanceof Value.Number) {
            return "a number";
        } else if (value instanceof Value.Bool) {
            return "a boolean";
        }
        return "a date";
    }

    /** A short way out, starting with " — ", or nothing. */
    static String hint(Value value, FieldType wanted) {
        switch (wanted) {
            case STRING:
                String bare = value instanceof Value.Text ? ((Value.Text) value).value() : text(value);
                return " — write it in quotes: " + quoted(bare);
            case NUMBER:
                if (value instanceof Value.Text && isNumber(((Value.Text) value).value())) {
                    return " — write it without quotes: " + ((Value.Text) value).value();
                }
                return "";
            case BOOLEAN:
                if (value instanceof Value.Text) {
                    String t = ((Value.Text) value).value();
                    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                        return " — write it without quotes: " + t.toLowerCase(java.util.Locale.ROOT);
                    }
                }
                return " — use 'is true' or 'is false'";
            case DATE:
                return " — write a date without quotes, e.g. 2026-01-31, or use 'within last 30 days'";
            default:
                return " — compare one of its fields instead";
        }
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
