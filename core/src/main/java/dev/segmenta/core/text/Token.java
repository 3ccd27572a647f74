package dev.segmenta.core.text;

import dev.segmenta.core.ast.TimeLiteral;
import java.util.Locale;

/**
 * One lexical unit. {@code text} is the decoded content for strings and backquoted names, the source text
 * otherwise; {@code time} is set for date and date-time literals.
 */
record Token(Kind kind, String text, TimeLiteral time, Position position) {

    enum Kind {
        /** An identifier or keyword: keywords are not reserved by the lexer, the parser decides by position. */
        WORD,
        /** {@code `my field`}. */
        QUOTED_NAME,
        STRING,
        NUMBER,
        DATE,
        SYMBOL,
        END
    }

    boolean isWord(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    String lowerText() {
        return text.toLowerCase(Locale.ROOT);
    }

    /** How an error message names this token: {@code 'and'}, {@code string "x"}, {@code end of input}. */
    String describe() {
        switch (kind) {
            case WORD:
            case SYMBOL:
                return "'" + text + "'";
            case QUOTED_NAME:
                return "field `" + shorten(text) + "`";
            case STRING:
                return "string \"" + shorten(text) + "\"";
            case NUMBER:
                return "number " + text;
            case DATE:
                return "date " + text;
            default:
                return "end of input";
        }
    }

    private static String shorten(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 30 ? oneLine : oneLine.substring(0, 27) + "...";
    }
}
