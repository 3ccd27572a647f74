package dev.segmenta.core.text;

import dev.segmenta.core.ast.TimeLiteral;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits rule-language text into tokens on demand, so the first problem in reading order is the one reported.
 * One instance per parse: it holds the read position.
 */
final class Lexer {
    private static final Pattern DATE = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})"
                    + "(?:[Tt](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?([Zz]|[+-]\\d{2}:\\d{2})?)?");
    private static final String DATE_FORMS = "YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)";

    private final String text;
    private int index;
    private int line = 1;
    private int column = 1;

    Lexer(String text) {
        this.text = text;
    }

    Token next() {
        skipWhitespace();
        Position start = position();
        if (index >= text.length()) {
            return new Token(Token.Kind.END, "", null, start);
        }
        char c = text.charAt(index);
        if (isIdentifierStart(c)) {
            int from = index;
            while (index < text.length() && isIdentifierPart(text.charAt(index))) {
                advance();
            }
            return new Token(Token.Kind.WORD, text.substring(from, index), null, start);
        }
        if (c == '"') {
            return string(start);
        }
        if (c == '`') {
            return quotedName(start);
        }
        if (isDigit(c) || (c == '-' && isDigit(peek(1)))) {
            return numberOrDate(start);
        }
        return symbol(c, start);
    }

    private Token symbol(char c, Position start) {
        String two = index + 1 < text.length() ? text.substring(index, index + 2) : "";
        if (two.equals("!=") || two.equals("<=") || two.equals(">=")) {
            advance();
            advance();
            return new Token(Token.Kind.SYMBOL, two, null, start);
        }
        if ("()[],.=<>".indexOf(c) >= 0) {
            advance();
            return new Token(Token.Kind.SYMBOL, String.valueOf(c), null, start);
        }
        int codePoint = text.codePointAt(index);
        throw new RuleSyntaxException("unexpected character '" + new String(Character.toChars(codePoint)) + "'", start);
    }

    private Token string(Position start) {
        advance();
        StringBuilder value = new StringBuilder();
        while (true) {
            if (index >= text.length()) {
                throw new RuleSyntaxException("unterminated string", start);
            }
            char c = text.charAt(index);
            if (c == '"') {
                advance();
                return new Token(Token.Kind.STRING, value.toString(), null, start);
            }
            if (c == '\\') {
                Position escape = position();
                char next = peek(1);
                if (next == '"' || next == '\\') {
                    value.append(next);
                    advance();
                    advance();
                    continue;
                }
                if (index + 1 >= text.length()) {
                    throw new RuleSyntaxException("unterminated string", start);
                }
                throw new RuleSyntaxException(
                        "unknown escape '\\" + next + "' in string (only \\\" and \\\\ are escapes)", escape);
            }
            value.append(c);
            advance();
        }
    }

    /** {@code `my field`}; a backquote inside the name is written twice. */
    private Token quotedName(Position start) {
        advance();
        StringBuilder value = new StringBuilder();
        while (true) {
            if (index >= text.length()) {
                throw new RuleSyntaxException("unterminated field name", start);
            }
            char c = text.charAt(index);
            advance();
            if (c == '`') {
                if (peek(0) == '`') {
                    value.append('`');
                    advance();
                    continue;
                }
                if (value.length() == 0) {
                    throw new RuleSyntaxException("empty field name", start);
                }
                return new Token(Token.Kind.QUOTED_NAME, value.toString(), null, start);
            }
            value.append(c);
        }
    }

    private Token numberOrDate(Position start) {
        int from = index;
        if (text.charAt(index) == '-') {
            advance();
        }
        int digitsFrom = index;
        while (isDigit(peek(0))) {
            advance();
        }
        boolean looksLikeDate = text.charAt(from) != '-' && index - digitsFrom == 4 && peek(0) == '-' && isDigit(peek(1));
        if (looksLikeDate) {
            while (index < text.length() && isDateChar(text.charAt(index))) {
                advance();
            }
            String source = text.substring(from, index);
            return new Token(Token.Kind.DATE, source, timeLiteral(source, start), start);
        }
        if (peek(0) == '.' && isDigit(peek(1))) {
            advance();
            while (isDigit(peek(0))) {
                advance();
            }
        }
        return new Token(Token.Kind.NUMBER, text.substring(from, index), null, start);
    }

    private static TimeLiteral timeLiteral(String source, Position start) {
        Matcher m = DATE.matcher(source);
        if (!m.matches()) {
            throw new RuleSyntaxException("malformed date '" + source + "', expected " + DATE_FORMS, start);
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw new RuleSyntaxException("invalid date '" + source + "'", start);
        }
        if (m.group(4) == null) {
            return new TimeLiteral.Day(date);
        }
        if (m.group(8) == null) {
            throw new RuleSyntaxException("date-time '" + source + "' needs a time zone offset (Z or ±hh:mm)", start);
        }
        LocalTime time;
        try {
            String fraction = m.group(7) == null ? "" : m.group(7);
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
            time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        } catch (DateTimeException e) {
            throw new RuleSyntaxException("invalid time in '" + source + "'", start);
        }
        ZoneOffset offset;
        try {
            String o = m.group(8);
            offset = o.equalsIgnoreCase("Z") ? ZoneOffset.UTC : ZoneOffset.of(o);
        } catch (DateTimeException e) {
            throw new RuleSyntaxException("invalid time zone offset in '" + source + "'", start);
        }
        return new TimeLiteral.Moment(OffsetDateTime.of(date, time, offset));
    }

    private void skipWhitespace() {
        while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
            advance();
        }
    }

    private void advance() {
        if (text.charAt(index) == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        index++;
    }

    private char peek(int ahead) {
        int i = index + ahead;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private Position position() {
        return new Position(line, column);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDateChar(char c) {
        return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ':' || c == '.' || c == '+'
                || c == '-';
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }
}
