package dev.segmenta.core.check;

import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.text.RulePrinter;
import java.math.BigDecimal;

/**
 * How literals read in messages and descriptions ({@code "CA"}, {@code 42}, {@code 2026-01-31}), and how to fix one
 * of the wrong type. The checker's messages and the describer's sentences write literals with this one routine.
 */
public final class Literals {
    private Literals() {}

    /** The literal as it is written in the rule language: {@code "CA"}, {@code 42}, {@code 2026-01-31}. */
    public static String text(Value value) {
        return value.accept(TEXTS);
    }

    private static final Value.Visitor<String> TEXTS = new Value.Visitor<>() {
        @Override
        public String text(Value.Text value) {
            return quoted(value.value());
        }

        @Override
        public String number(Value.Number value) {
            return value.value().toPlainString();
        }

        @Override
        public String bool(Value.Bool value) {
            return Boolean.toString(value.value());
        }

        @Override
        public String date(Value.Date value) {
            return Literals.date(value.value());
        }
    };

    public static String date(TimeLiteral time) {
        return time.accept(DATES);
    }

    private static final TimeLiteral.Visitor<String> DATES = new TimeLiteral.Visitor<>() {
        @Override
        public String day(TimeLiteral.Day literal) {
            return literal.date().toString();
        }

        @Override
        public String moment(TimeLiteral.Moment literal) {
            return literal.dateTime().toString();
        }
    };

    static String quoted(String s) {
        return RulePrinter.quote(s);
    }

    static String kind(Value value) {
        return value.accept(KINDS);
    }

    private static final Value.Visitor<String> KINDS = new Value.Visitor<>() {
        @Override
        public String text(Value.Text value) {
            return "text";
        }

        @Override
        public String number(Value.Number value) {
            return "a number";
        }

        @Override
        public String bool(Value.Bool value) {
            return "a boolean";
        }

        @Override
        public String date(Value.Date value) {
            return "a date";
        }
    };

    /** The text of a text literal; null for every other kind. */
    private static String textOf(Value value) {
        return value.accept(TEXT_OF);
    }

    private static final Value.Visitor<String> TEXT_OF = new Value.Visitor<>() {
        @Override
        public String text(Value.Text value) {
            return value.value();
        }

        @Override
        public String number(Value.Number value) {
            return null;
        }

        @Override
        public String bool(Value.Bool value) {
            return null;
        }

        @Override
        public String date(Value.Date value) {
            return null;
        }
    };

    /** A short way out, starting with " — ", or nothing. */
    static String hint(Value value, FieldType wanted) {
        String text = textOf(value);
        switch (wanted) {
            case STRING:
                String bare = text == null ? text(value) : text;
                return " — write it in quotes: " + quoted(bare);
            case NUMBER:
                if (text != null && isNumber(text)) {
                    return " — write it without quotes: " + text;
                }
                return "";
            case BOOLEAN:
                if (text != null && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                    return " — write it without quotes: " + text.toLowerCase(java.util.Locale.ROOT);
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
