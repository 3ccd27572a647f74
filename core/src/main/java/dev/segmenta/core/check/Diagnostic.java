package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.text.Position;

/**
 * A checker error or a checker/linter warning: a stable {@code code} (see {@code docs/linter.md}), a one-line
 * message, and where the offending node starts ({@link Position#UNKNOWN} when the rule has no text).
 *
 * <p>Example: {@code ERROR unknown-field 1:1 unknown field 'sate' — did you mean 'state'?}
 */
public record Diagnostic(Severity severity, String code, String message, Position position) {
    public Diagnostic {
        requireNonNull(severity, "severity is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(position, "position is null");
        message = oneLine(message);
    }

    /**
     * Names quoted in messages come from rules and data and may hold line breaks or other control characters;
     * they are shown escaped (a line feed as a backslash and n, others as a backslash-u code), so a message is
     * always one line.
     */
    private static String oneLine(String message) {
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char ch = message.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(message.length() + 8).append(message, 0, i);
                }
                switch (ch) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
                }
            } else if (out != null) {
                out.append(ch);
            }
        }
        return out == null ? message : out.toString();
    }

    public static Diagnostic error(String code, String message, Position position) {
        return new Diagnostic(Severity.ERROR, code, message, position);
    }

    public static Diagnostic warning(String code, String message, Position position) {
        return new Diagnostic(Severity.WARNING, code, message, position);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + code + " " + position + " " + message;
    }
}
